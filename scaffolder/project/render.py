"""Write a project: Copier renders into a staging directory, then it moves into place.

This is the only module that imports Copier. Staging next to the destination keeps
the final move on one file system, so a failure or Ctrl-C at any point leaves the
destination exactly as it was.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scaffolder.errors import RenderError, UsageError
from scaffolder.project.recorded import ANSWERS_FILE

Progress = Callable[[str], None]
# Looks at the staged, locked project (path, whether locked, the lock message); returns
# changed answers to render again with, and files to add.
Inspect = Callable[[Path, bool, str], tuple[dict[str, object], dict[str, str]]]


@dataclass(frozen=True)
class RenderResult:
    path: Path
    files: list[str]
    git_message: str
    git_done: bool
    lock_message: str = "dependencies not locked (--no-lock)"
    lock_done: bool = False


def with_secrets(data: dict[str, object]) -> dict[str, object]:
    """Fresh per-project secrets; the template writes them only to the git-ignored .env."""
    return {
        **data,
        "secret_key": secrets.token_urlsafe(32),
        "db_password": secrets.token_urlsafe(24),
    }


def _skip_git_index_sync() -> None:
    """Stop Copier asking git about every file it writes.

    Copier runs ``git config core.fileMode`` once per rendered file, to fix executable
    bits of files already tracked in the destination's git index. fwpick renders only
    into fresh staging and scratch directories whose files are never tracked, where
    Copier documents the step as a no-op; it costs one process per file, about a sixth
    of a render. Guarded, so a Copier without the hook just keeps its behaviour.
    """
    from copier import _main

    worker = getattr(_main, "Worker", None)
    if worker is not None and hasattr(worker, "_sync_git_index_executable_bit"):
        worker._sync_git_index_executable_bit = _no_index_sync


def _no_index_sync(self: object, dst_relpath: Path, src_mode: int) -> None:
    return None


def copier_render(template: Path, dest: Path, data: dict[str, object]) -> None:
    from copier import run_copy
    from copier.errors import CopierError

    _skip_git_index_sync()
    try:
        run_copy(
            str(template),
            str(dest),
            data=data,
            defaults=True,
            quiet=True,
            overwrite=True,
            unsafe=False,
            skip_tasks=True,
        )
    except (CopierError, ValueError) as exc:
        raise RenderError(f"the template refused the answers: {exc}") from exc
    except Exception as exc:
        # A template is code: any exception inside it is a render failure, not a crash.
        raise RenderError(f"rendering {template.name} failed: {type(exc).__name__}: {exc}") from exc
    _forget_template_path(dest / ANSWERS_FILE, template.name)
    _record_unanswered(dest / ANSWERS_FILE, data)


def _record_unanswered(answers: Path, data: dict[str, object]) -> None:
    """Record "not sure" for criteria the user left unanswered, not the value used for them.

    The template needs a concrete value (the rules' project default) to render, and Copier
    records what it was given; the answers file should say what the user said. The
    decision block holds the criteria as answered; ``fwpick update`` maps "not sure" back
    to the default before it renders again.
    """
    decision = data.get("decision")
    criteria = decision.get("criteria") if isinstance(decision, dict) else None
    if not isinstance(criteria, dict) or not answers.is_file():
        return
    unanswered = {k for k, v in criteria.items() if v == "not_sure" and k in data}
    if not unanswered:
        return
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    answers.write_text(
        "".join(
            f"{key}: not_sure\n" if (key := line.split(":", 1)[0]) in unanswered else line
            for line in lines
        ),
        encoding="utf-8",
    )


def _forget_template_path(answers: Path, framework: str) -> None:
    """Replace Copier's absolute ``_src_path`` with a stable name.

    The template lives inside the installed package, so its path names the machine
    that rendered it; fwpick finds templates by framework and version instead.
    """
    if not answers.is_file():
        return
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    answers.write_text(
        "".join(
            f"_src_path: fwpick:{framework}\n" if line.startswith("_src_path:") else line
            for line in lines
        ),
        encoding="utf-8",
    )


def list_files(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        found += [Path(dirpath, f).relative_to(root).as_posix() for f in filenames]
    return sorted(found)


def is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


def check_destination(dest: Path, *, overwrite: bool) -> None:
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a directory")
    if dest.is_dir() and not is_empty_dir(dest) and not overwrite:
        raise UsageError(
            f"{dest} already exists and is not empty; choose another directory, or pass "
            "--overwrite to write the template's files into it (other files are kept)"
        )


def preview(template: Path, data: dict[str, object], extra_files: list[str]) -> list[str]:
    """The exact files a render would write, rendered away from the destination."""
    with tempfile.TemporaryDirectory(prefix="fwpick-preview-") as tmp:
        out = Path(tmp) / "project"
        copier_render(template, out, with_secrets(data))
        return sorted({*list_files(out), *extra_files})


@contextmanager
def _staging(dest: Path) -> Iterator[Path]:
    parent = dest.parent
    created: list[Path] = []
    probe = parent
    while not probe.exists():
        created.append(probe)
        probe = probe.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = _sibling_folder(parent, f".{dest.name}.fwpick-")
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for directory in created:  # created deepest first
            if directory.exists() and is_empty_dir(directory) and not dest.exists():
                directory.rmdir()


def _sibling_folder(parent: Path, prefix: str) -> Path:
    """A new folder beside the destination, where the project is rendered.

    At the destination's depth, a path the project holds relative to itself (a path
    dependency in pyproject.toml) already resolves while the project is staged; made like
    any folder of the user's (not 0700 as a temporary one), it can become the project.
    """
    while True:
        candidate = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate


def _move_into_place(staging: Path, dest: Path) -> None:
    if not dest.exists() or is_empty_dir(dest):
        # rename(2) replaces an empty directory in one step.
        staging.rename(dest)
        return
    _merge_into(staging, dest)


def _merge_into(staging: Path, dest: Path) -> None:
    """Move the staged files into a non-empty directory, undoing everything on failure."""
    _refuse_clashes(staging, dest)
    backup = Path(tempfile.mkdtemp(prefix=f".{dest.name}.fwpick-backup-", dir=dest.parent))
    moved: list[Path] = []
    backed_up: list[Path] = []
    made_dirs: list[Path] = []
    try:
        for rel in list_files(staging):
            target = dest / rel
            for parent in reversed(target.relative_to(dest).parents[:-1]):
                directory = dest / parent
                if not directory.exists():
                    directory.mkdir()
                    made_dirs.append(directory)
            if target.exists():
                saved = backup / rel
                saved.parent.mkdir(parents=True, exist_ok=True)
                target.rename(saved)
                backed_up.append(Path(rel))
            (staging / rel).rename(target)
            moved.append(target)
    except BaseException:
        for moved_file in reversed(moved):
            moved_file.unlink(missing_ok=True)
        for saved_rel in backed_up:
            (backup / saved_rel).rename(dest / saved_rel)
        for directory in reversed(made_dirs):
            if is_empty_dir(directory):
                directory.rmdir()
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)


def _refuse_clashes(staging: Path, dest: Path) -> None:
    """A staged file may replace a file, never a directory, and needs directories above it."""
    for rel in list_files(staging):
        target = dest / rel
        if target.is_dir():
            raise RenderError(f"cannot write {rel}: {target} is a directory")
        for parent in target.relative_to(dest).parents[:-1]:
            if (dest / parent).exists() and not (dest / parent).is_dir():
                raise RenderError(f"cannot write {rel}: {dest / parent} is not a directory")


def _write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_project(
    template: Path,
    dest: Path,
    data: dict[str, object],
    extra_files: dict[str, str],
    *,
    overwrite: bool,
    git: Callable[[Path], tuple[bool, str]] | None,
    lock: Callable[[Path], tuple[bool, str]] | None = None,
    progress: Progress | None = None,
    inspect: Inspect | None = None,
) -> RenderResult:
    """Render ``template`` with ``data`` and ``extra_files`` into ``dest``, atomically.

    ``lock``, ``inspect`` and then ``git`` run in the staging directory before the move,
    so the lock file is in the first commit and the repository arrives together with the
    files. ``inspect`` may change answers (the project is rendered again with them) and
    add files; when it raises, nothing is written.
    """
    step = progress or (lambda _msg: None)
    check_destination(dest, overwrite=overwrite)
    with _staging(dest) as staging:
        out = staging
        step("render")
        answers = with_secrets(data)
        copier_render(template, out, answers)
        _write_files(out, extra_files)
        lock_done, lock_message = False, RenderResult.lock_message
        if lock is not None:
            step("lock")
            lock_done, lock_message = lock(out)
        if inspect is not None:
            step("inspect")
            changed, more_files = inspect(out, lock_done, lock_message)
            if changed:
                copier_render(template, out, {**answers, **changed})
            _write_files(out, more_files)
        files = list_files(out)
        git_done, git_message = False, "git skipped (--no-git)"
        if git is not None:
            step("git")
            git_done, git_message = git(out)
        step("move")
        _move_into_place(out, dest)
    step("done")
    return RenderResult(
        path=dest,
        files=files,
        git_message=git_message,
        git_done=git_done,
        lock_message=lock_message,
        lock_done=lock_done,
    )
