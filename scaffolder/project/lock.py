"""Lock a generated project's dependencies with uv, so ``uv.lock`` is in its first commit.

fwpick depends on the ``uv`` package and runs the binary it ships, so a user needs no uv on
PATH. Locking needs the package index; when it can't be reached, the project is still
created and the user is told to run ``uv lock`` later.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LOCK_FILE = "uv.lock"
LOCK_TIMEOUT = 300.0
_NETWORK_HINTS = (
    "failed to fetch",
    "client error",
    "connect",
    "dns error",
    "timed out",
    "network",
    "offline",
)


@dataclass(frozen=True)
class LockOutcome:
    locked: bool
    message: str  # one line for the user when not locked; empty on success


def uv_binary() -> str:
    import uv  # a small package; only commands that lock need it

    return uv.find_uv_bin()


def uv_hint() -> str:
    """How to run uv on this machine: ``uv`` if it is on PATH, else fwpick's own copy."""
    import shutil

    if shutil.which("uv"):
        return "uv"
    return f"{sys.executable} -m uv"


def lock(
    project: Path, *, minimum_python: str | None = None, timeout: float = LOCK_TIMEOUT
) -> LockOutcome:
    """Run ``uv lock`` in ``project``; never raises for a failed lock, only reports it.

    When the project supports the Python running fwpick, uv resolves with that one rather
    than searching PATH, where version-manager shims may not answer for it.
    """
    try:
        binary = uv_binary()
    except (ImportError, FileNotFoundError):
        return LockOutcome(False, "uv is not installed, so the project has no uv.lock yet")
    env = uv_environment(minimum_python)
    try:
        proc = subprocess.run(
            [binary, "lock", "--quiet"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return LockOutcome(False, f"uv lock took longer than {timeout:.0f} s and was stopped")
    except OSError as exc:
        return LockOutcome(False, f"uv could not run: {exc}")
    if proc.returncode == 0 and (project / LOCK_FILE).is_file():
        return LockOutcome(True, "")
    return LockOutcome(False, describe_failure(proc.stderr))


def uv_environment(minimum_python: str | None) -> dict[str, str]:
    """The environment uv runs in for a generated project: this Python when it can."""
    # pyenv's shims pin fwpick's own interpreter for its child processes; the project's
    # .python-version must decide there instead, or uv can't query the other versions.
    env = {k: v for k, v in os.environ.items() if k != "PYENV_VERSION"}
    # A lock needs no download of Python itself; fail fast instead of fetching one.
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    env.setdefault("UV_NO_PROGRESS", "1")
    if minimum_python and _supports_running(minimum_python):
        env.setdefault("UV_PYTHON", sys.executable)
    return env


def _supports_running(minimum: str) -> bool:
    try:
        wanted = tuple(int(part) for part in minimum.split("."))
    except ValueError:
        return False
    return sys.version_info[: len(wanted)] >= wanted


def describe_failure(stderr: str, command: str = "uv lock") -> str:
    """One line on why ``command`` (a uv command) failed, from its stderr."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    text = " ".join(lines).lower()
    if "no interpreter found" in text:
        return f"{command} found no Python that the project supports on this machine"
    if any(hint in text for hint in _NETWORK_HINTS):
        return f"{command} could not reach the package index"
    detail = lines[0].removeprefix("error:").strip() if lines else "no output"
    return f"{command} failed: {detail}"
