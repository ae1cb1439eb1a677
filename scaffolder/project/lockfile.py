"""Relock during an update: ``uv.lock`` is generated, so it is relocked, never merged.

The lock runs on a copy of the files it reads (the merged ``pyproject.toml``, the
current ``uv.lock`` and ``.python-version``) in the update's workspace, so the new lock
joins the same all-or-nothing switch as every other file.
"""

from __future__ import annotations

import shutil
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
    for name in INPUTS:
        if name in pending:
            (scratch / name).write_bytes(pending[name] or b"")
        elif (root / name).is_file():
            shutil.copyfile(root / name, scratch / name)
    outcome = lock(scratch, minimum_python=python)
    if not outcome.locked:
        return None, f"{outcome.message}; {LOCK_FILE} was not relocked (run 'uv lock' later)"
    new = (scratch / LOCK_FILE).read_bytes()
    if new == (root / LOCK_FILE).read_bytes():
        return None, None
    return FileChange(LOCK_FILE, Status.UPDATED, new), None
