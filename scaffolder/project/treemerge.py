"""Three-way merge of rendered trees: the old pristine render, the user's files, a new render.

Every file gets one status, so a dry run can show exactly what an update would do.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Status(StrEnum):
    NEW = "new"  # only the new render has it: added
    UPDATED = "updated"  # the user never touched it: replaced by the new render
    MERGED = "merged"  # both changed it, in different places: merged cleanly
    CONFLICT = "conflict"  # both changed the same lines: conflict markers written
    UNCHANGED = "unchanged"  # nothing to do
    REMOVED = "removed"  # the new render drops it and the user never edited it
    KEPT = "kept"  # the new render drops it, but the user edited it: left alone
    DELETED = "deleted"  # the user deleted it: it stays deleted


@dataclass(frozen=True)
class FileChange:
    path: str
    status: Status
    content: bytes | None = None  # what to write, for NEW/UPDATED/MERGED/CONFLICT


def read_tree(root: Path, skip: frozenset[str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and rel.split("/", 1)[0] != ".git" and not _skipped(rel, skip):
            files[rel] = path.read_bytes()
    return files


def _skipped(rel: str, skip: frozenset[str]) -> bool:
    return any(rel == s or rel.startswith(s.rstrip("/") + "/") for s in skip)


def merge_file(ours: bytes, base: bytes, theirs: bytes) -> tuple[bytes, bool]:
    """``git merge-file`` on three versions; returns the result and whether it conflicts."""
    with tempfile.TemporaryDirectory(prefix="fwpick-merge-") as tmp:
        paths = []
        for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
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
        raise OSError(f"git merge-file failed: {result.stderr.decode(errors='replace')}")
    return result.stdout, result.returncode > 0


def plan_merge(
    base: dict[str, bytes], ours: dict[str, bytes], theirs: dict[str, bytes]
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
                changes.append(_merge(rel, ours[rel], b"", theirs[rel]))
        elif in_base and not in_theirs:
            if not in_ours:
                changes.append(FileChange(rel, Status.UNCHANGED))
            elif ours[rel] == base[rel]:
                changes.append(FileChange(rel, Status.REMOVED))
            else:
                changes.append(FileChange(rel, Status.KEPT))
        elif not in_ours:
            changes.append(FileChange(rel, Status.DELETED))
        elif ours[rel] == theirs[rel] or base[rel] == theirs[rel]:
            changes.append(FileChange(rel, Status.UNCHANGED))
        elif ours[rel] == base[rel]:
            changes.append(FileChange(rel, Status.UPDATED, theirs[rel]))
        else:
            changes.append(_merge(rel, ours[rel], base[rel], theirs[rel]))
    return changes


def _merge(rel: str, ours: bytes, base: bytes, theirs: bytes) -> FileChange:
    merged, conflicted = merge_file(ours, base, theirs)
    return FileChange(rel, Status.CONFLICT if conflicted else Status.MERGED, merged)


def apply_changes(root: Path, changes: list[FileChange]) -> None:
    for change in changes:
        target = root / change.path
        if change.content is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(change.content)
        elif change.status is Status.REMOVED:
            target.unlink()
            parent = target.parent
            while parent != root and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
