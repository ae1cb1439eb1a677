"""End to end: the real ``fwpick`` in a real terminal (tmux), driven by keystrokes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaffolder.project.adr import ADR_PATH

REPO = Path(__file__).resolve().parents[2]
TMUX = shutil.which("tmux")


class Terminal:
    """A detached tmux session on a private socket (safe under xdist)."""

    def __init__(self, socket: Path, name: str) -> None:
        assert TMUX is not None
        self.base = [TMUX, "-S", str(socket), "-f", os.devnull]
        self.name = name

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [*self.base, *args], capture_output=True, text=True, check=True, timeout=30
        )
        return done.stdout

    def start(self, command: str, env: dict[str, str]) -> None:
        subprocess.run(
            [*self.base, "new-session", "-d", "-s", self.name, "-x", "100", "-y", "32", command],
            env=env,
            check=True,
            timeout=30,
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        """Poll the screen until ``text`` shows up; fail with what was there."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if TMUX is None:
        if os.environ.get("FWPICK_REQUIRE_TMUX") == "1":
            pytest.fail("tmux is required (FWPICK_REQUIRE_TMUX=1) but not installed")
        pytest.skip("tmux is not installed")
    term = Terminal(tmp_path / "tmux.sock", f"fwpick-{uuid.uuid4().hex[:8]}")
    yield term
    term.close()


def test_wizard_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    dest = tmp_path / "e2e-service"
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color"}
    env.pop("CI", None)
    command = (
        f"cd {tmp_path} && env -u CI TERM=xterm-256color {sys.executable} -m scaffolder "
        f"new {dest.name} --interface api --async-io yes --database none; "
        "echo FWPICK-EXIT=$?; sleep 600"
    )
    terminal.start(command, env)

    terminal.wait_for("Pick FastAPI or Flask")
    terminal.keys("Enter")
    terminal.wait_for("Question 1 of")
    # The flag's answer is prefilled and highlighted: Enter keeps it.
    assert "● A JSON API only" in terminal.screen()
    terminal.keys("Enter")
    terminal.wait_for("Question 2 of")
    terminal.keys("C-r")  # recommend now
    terminal.wait_for("We recommend FastAPI")
    terminal.keys("Enter")
    terminal.wait_for("Project name")
    assert "package: e2e_service" in terminal.wait_for("package:")
    terminal.keys("Enter")
    terminal.wait_for("Files that will be written")
    terminal.wait_for("e2e-service/")  # the preview has finished
    terminal.keys("Enter")
    terminal.wait_for("Created a FastAPI project")
    terminal.keys("Enter")
    shown = terminal.wait_for("FWPICK-EXIT=")

    assert "FWPICK-EXIT=0" in shown
    assert "To create it again:" in shown
    assert "fwpick new e2e-service --yes --interface api --async-io yes" in shown
    assert "--database none" in shown
    assert "fastapi" in (dest / "pyproject.toml").read_text(encoding="utf-8").lower()
    assert "Use FastAPI" in (dest / ADR_PATH).read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["", "new svc"])
def test_ci_set_in_a_real_terminal_never_starts_the_wizard(
    terminal: Terminal, tmp_path: Path, command: str
) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color"}
    terminal.start(
        f"cd {tmp_path} && env CI=true {sys.executable} -m scaffolder {command}; "
        "echo FWPICK-EXIT=$?; sleep 600",
        env,
    )
    shown = terminal.wait_for("FWPICK-EXIT=", timeout=30)
    assert "FWPICK-EXIT=2" in shown
    assert "--yes" in shown
    assert "Pick FastAPI or Flask" not in shown
    assert not (tmp_path / "svc").exists()
