"""git: initialise a new project and make its first commit."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GitResult:
    done: bool
    message: str


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )


def git_available() -> bool:
    return shutil.which("git") is not None


def inside_work_tree(path: Path) -> bool:
    """Whether ``path`` (or its nearest existing ancestor) lies in a git work tree."""
    probe = path
    while not probe.exists():
        probe = probe.parent
    result = _git(["rev-parse", "--is-inside-work-tree"], probe)
    return result.returncode == 0 and result.stdout.strip() == "true"


def init_and_commit(path: Path, message: str) -> GitResult:
    """``git init`` plus a first commit of everything not ignored."""
    steps = [["init", "-q"], ["add", "-A"]]
    for step in steps:
        result = _git(step, path)
        if result.returncode != 0:
            return GitResult(False, f"git {step[0]} failed: {result.stderr.strip()}")
    # A fresh machine may have no identity configured; fall back to one that says so.
    identity: list[str] = []
    if not _git(["config", "user.email"], path).stdout.strip():
        identity = ["-c", "user.name=fwpick", "-c", "user.email=fwpick@localhost"]
    result = _git([*identity, "commit", "-q", "--no-verify", "-m", message], path)
    if result.returncode != 0:
        return GitResult(False, f"git commit failed: {result.stderr.strip()}")
    return GitResult(True, "initialised a git repository with a first commit")
