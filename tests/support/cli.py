"""Run ``fwpick`` as a user does: a separate process, no terminal on stdin, CI unset."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def fwpick(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    # CI runs the suite with CI=true; these tests choose the mode themselves.
    full_env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "scaffolder", *args],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )
