"""Relock during an update: ``uv.lock`` is generated, so it is relocked, never merged.

The lock runs on a copy of the files it reads (the merged ``pyproject.toml``, the
current ``uv.lock`` and ``.python-version``) in the update's workspace, so the new lock
joins the same all-or-nothing switch as every other file. A project with a path
dependency relative to itself (a bridge's Flask project) is locked in a folder beside it
instead, where that path still resolves to the same place.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

from scaffolder.project.treemerge import FileChange, Status

LOCK_FILE = "uv.lock"
INPUTS = ("pyproject.toml", ".python-version", LOCK_FILE)


def relock(
    root: Path, changes: list[FileChange], scratch: Path, python: str | None
) -> tuple[FileChange | None, str | None]:
    """The new ``uv.lock`` (or None) and a one-line note when it could not be made."""
    from scaffolder.project.lock import lock

    if not (root / LOCK_FILE).is_file():
        return None, None  # the project is not locked (made with --no-lock): keep it so
    pending = {c.path: c.content for c in changes if c.content is not None}
    pyproject = pending.get("pyproject.toml") or _read(root / "pyproject.toml")
    with _lock_folder(root, scratch, pyproject) as folder:
        for name in INPUTS:
            if name in pending:
                (folder / name).write_bytes(pending[name] or b"")
            elif (root / name).is_file():
                shutil.copyfile(root / name, folder / name)
        outcome = lock(folder, minimum_python=python)
        if not outcome.locked:
            note = f"{outcome.message}; {LOCK_FILE} was not relocked (run 'uv lock' later)"
            return None, note
        new = (folder / LOCK_FILE).read_bytes()
    if new == (root / LOCK_FILE).read_bytes():
        return None, None
    return FileChange(LOCK_FILE, Status.UPDATED, new), None


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""


def has_relative_path_sources(pyproject: bytes) -> bool:
    """Whether ``[tool.uv.sources]`` names a path relative to the project."""
    try:
        data = tomllib.loads(pyproject.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    sources = data.get("tool", {}).get("uv", {}).get("sources", {})
    return any(
        isinstance(source, dict)
        and isinstance(source.get("path"), str)
        and not Path(source["path"]).is_absolute()
        for source in sources.values()
    )


@contextlib.contextmanager
def _lock_folder(root: Path, scratch: Path, pyproject: bytes) -> Iterator[Path]:
    if not has_relative_path_sources(pyproject):
        yield scratch
        return
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{root.name}.fwpick-lock-", dir=root.parent))
    except OSError:
        yield scratch  # the lock then fails and says so; the update goes on
        return
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
