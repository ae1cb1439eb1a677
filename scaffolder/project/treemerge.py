"""Three-way merge of rendered trees: the old pristine render, the user's files, a new render.

Every file gets one status, so a dry run can show exactly what an update would do. Only
the files a render owns are read from the project: other files (a large ignored model,
a virtualenv) are never opened.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from scaffolder.errors import UsageError


class Status(StrEnum):
    NEW = "new"  # only the new render has it: added
    UPDATED = "updated"  # the user never touched it: replaced by the new render
    MERGED = "merged"  # both changed it, in different places: merged cleanly
    CONFLICT = "conflict"  # both changed the same lines: conflict markers written
    UNCHANGED = "unchanged"  # nothing to do
    REMOVED = "removed"  # the new render drops it and the user never edited it
    KEPT = "kept"  # the new render drops it, but the user edited it: left alone
    DELETED = "deleted"  # the user deleted (or renamed) it and the template changed it


@dataclass(frozen=True)
class FileChange:
    path: str
    status: Status
    content: bytes | None = None  # what to write, for NEW/UPDATED/MERGED/CONFLICT

    @property
    def writes(self) -> bool:
        return self.content is not None or self.status is Status.REMOVED


def read_tree(root: Path, skip: frozenset[str]) -> dict[str, bytes]:
    """Every file of a render (small, made by fwpick) except those in ``skip``."""
    files: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            if not skipped(rel, skip):
                files[rel] = path.read_bytes()
    return files


def skipped(rel: str, skip: frozenset[str]) -> bool:
    return any(rel == s or rel.startswith(s.rstrip("/") + "/") for s in skip)


def where(root: Path, rel: str) -> str | None:
    """Why ``rel`` cannot be read or written as a plain file of the project, or None."""
    path = root
    parts = rel.split("/")
    for depth, part in enumerate(parts):
        path = path / part
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return None
        shown = "/".join(parts[: depth + 1])
        if stat.S_ISLNK(info.st_mode):
            target = os.path.realpath(path)
            inside = Path(target).is_relative_to(os.path.realpath(root))
            return (
                f"{shown} is a symlink to {target}, outside the project; fwpick update never "
                "writes outside the project"
                if not inside
                else f"{shown} is a symlink; fwpick update replaces files, not links: make it "
                "a plain file or folder first"
            )
        last = depth == len(parts) - 1
        if not last and not stat.S_ISDIR(info.st_mode):
            return f"{shown} is a file, but the template has a folder there ({rel})"
        if last and not stat.S_ISREG(info.st_mode):
            kind = "folder" if stat.S_ISDIR(info.st_mode) else "special file"
            return f"{rel} is a {kind}, but the template has a file there"
    return None


def read_owned(root: Path, paths: set[str]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The user's version of each path a render owns, and the paths that are not plain
    files (symlinks, folders, clashes) with the reason; those are never read."""
    files: dict[str, bytes] = {}
    odd: dict[str, str] = {}
    for rel in sorted(paths):
        problem = where(root, rel)
        if problem is not None:
            odd[rel] = problem
            continue
        with contextlib.suppress(FileNotFoundError):
            files[rel] = (root / rel).read_bytes()
    return files, odd


def _crlf(data: bytes) -> bool:
    return b"\r\n" in data and data.count(b"\r\n") == data.count(b"\n")


def merge_file(
    ours: bytes, base: bytes, theirs: bytes, scratch: Path, rel: str
) -> tuple[bytes, bool]:
    """``git merge-file`` on three versions; returns the result and whether it conflicts.

    A file the user only converted to CRLF merges as LF and goes back to CRLF, so a
    line-ending change does not conflict the whole file.
    """
    if b"\0" in ours or b"\0" in base or b"\0" in theirs:
        raise UsageError(
            f"{rel}: binary content in a file the template changes; restore the template's "
            "version (or remove it) and commit, then run fwpick update again"
        )
    crlf = _crlf(ours) and not _crlf(theirs)
    if crlf:
        ours = ours.replace(b"\r\n", b"\n")
    paths = []
    for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
        path = scratch / name
        path.write_bytes(content)
        paths.append(str(path))
    result = subprocess.run(
        [
            "git",
            "merge-file",
            "-p",
            "-L",
            "your version",
            "-L",
            "old template",
            "-L",
            "new template",
            *paths,
        ],
        capture_output=True,
        check=False,
    )
    if result.returncode < 0 or result.returncode > 127:
        problem = result.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"{rel}: cannot merge it ({problem[-1] if problem else 'git merge-file'})")
    merged = result.stdout.replace(b"\n", b"\r\n") if crlf else result.stdout
    return merged, result.returncode > 0


def plan_merge(
    base: dict[str, bytes], ours: dict[str, bytes], theirs: dict[str, bytes], scratch: Path
) -> list[FileChange]:
    changes: list[FileChange] = []
    for rel in sorted({*base, *theirs}):
        in_base, in_ours, in_theirs = rel in base, rel in ours, rel in theirs
        if in_theirs and not in_base:
            if not in_ours:
                changes.append(FileChange(rel, Status.NEW, theirs[rel]))
            elif ours[rel] == theirs[rel]:
                changes.append(FileChange(rel, Status.UNCHANGED))
            else:
                changes.append(_merge(rel, ours[rel], b"", theirs[rel], scratch))
        elif in_base and not in_theirs:
            if not in_ours:
                changes.append(FileChange(rel, Status.UNCHANGED))
            elif ours[rel] == base[rel]:
                changes.append(FileChange(rel, Status.REMOVED))
            else:
                changes.append(FileChange(rel, Status.KEPT))
        elif not in_ours:
            # Yours: it stays deleted. Worth a word only when the template changed it.
            changed = base[rel] != theirs[rel]
            changes.append(FileChange(rel, Status.DELETED if changed else Status.UNCHANGED))
        elif ours[rel] == theirs[rel] or base[rel] == theirs[rel]:
            changes.append(FileChange(rel, Status.UNCHANGED))
        elif ours[rel] == base[rel]:
            changes.append(FileChange(rel, Status.UPDATED, theirs[rel]))
        else:
            changes.append(_merge(rel, ours[rel], base[rel], theirs[rel], scratch))
    return changes


def _merge(rel: str, ours: bytes, base: bytes, theirs: bytes, scratch: Path) -> FileChange:
    merged, conflicted = merge_file(ours, base, theirs, scratch, rel)
    if merged == ours:
        return FileChange(rel, Status.UNCHANGED)
    return FileChange(rel, Status.CONFLICT if conflicted else Status.MERGED, merged)
