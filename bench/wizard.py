"""Wizard launch to first painted screen, under a real terminal (tmux).

A private tmux server (its own socket) starts ``fwpick`` in a pane of a fixed size; the
clock runs from just before tmux is asked to start it until ``capture-pane`` first shows
the welcome text. Nothing is subtracted: tmux's own start-up is part of the number, which
makes it a slight over-estimate of what a user sees in an already open terminal.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from harness import BenchError

# The welcome screen's title ("Pick FastAPI or Flask, with reasons"), or a greeting, or the
# first question of rules.yaml if the welcome screen is ever skipped.
DEFAULT_MARKER = r"(?i)welcome|pick fastapi or flask|what will the service serve"
COLUMNS, LINES = 100, 32


def tmux_path() -> str | None:
    return shutil.which("tmux") or ("/usr/bin/tmux" if Path("/usr/bin/tmux").is_file() else None)


def wizard_available() -> str | None:
    """None if the wizard module is there, else why not (checked without starting it)."""
    launch = Path(__file__).resolve().parent.parent / "scaffolder" / "tui" / "launch.py"
    try:
        text = launch.read_text(encoding="utf-8")
    except OSError:
        return "scaffolder/tui/launch.py does not exist"
    if "NotImplementedError" in text and "the wizard is not built yet" in text:
        return "scaffolder.tui.launch.run_wizard is still a placeholder"
    return None


def first_paint(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    marker: str = DEFAULT_MARKER,
    timeout: float = 15,
) -> float:
    """Seconds from launching ``argv`` in a fresh tmux pane until ``marker`` is on screen."""
    tmux = tmux_path()
    if tmux is None:
        raise BenchError("tmux is not installed")
    pattern = re.compile(marker)
    with tempfile.TemporaryDirectory(prefix="fwpick-bench-tmux-") as tmp:
        socket = str(Path(tmp) / "sock")
        conf = Path(tmp) / "tmux.conf"
        # Keep a pane that exits (a crash) so its last words can be read.
        conf.write_text("set -g remain-on-exit on\nset -g status off\n", encoding="utf-8")
        base = [tmux, "-S", socket, "-f", str(conf)]
        term_env = {**env, "TERM": "xterm-256color"}
        term_env.pop("TMUX", None)
        try:
            start = time.perf_counter()
            subprocess.run(
                [*base, "new-session", "-d", "-x", str(COLUMNS), "-y", str(LINES), "--", *argv],
                env=term_env,
                cwd=cwd,
                check=True,
                capture_output=True,
                timeout=10,
            )
            while True:
                screen = _capture(base)
                if pattern.search(screen):
                    return time.perf_counter() - start
                if _pane_dead(base):
                    last = " / ".join(line for line in screen.splitlines() if line.strip())
                    raise BenchError(f"the wizard exited before painting: {last[-240:]}")
                if time.perf_counter() - start > timeout:
                    raise BenchError(f"no first screen matching {marker!r} within {timeout:.0f} s")
                time.sleep(0.005)
        finally:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                subprocess.run([*base, "kill-server"], capture_output=True, timeout=10)


def _capture(base: Sequence[str]) -> str:
    proc = subprocess.run(
        [*base, "capture-pane", "-p", "-t", "0"], capture_output=True, text=True, timeout=10
    )
    return proc.stdout


def _pane_dead(base: Sequence[str]) -> bool:
    proc = subprocess.run(
        [*base, "display-message", "-p", "-t", "0", "#{pane_dead}"],
        capture_output=True,
        text=True,
        timeout=10,
    )
    return proc.stdout.strip() == "1"
