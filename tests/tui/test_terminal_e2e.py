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
    # The scrollback keeps the record: where, the next steps, and the command.
    assert f"Created a FastAPI project in {dest} (" in shown
    assert "Next steps:" in shown and "cd e2e-service" in shown and "make install" in shown
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


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def _wait_gone(pid: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists():
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return  # a zombie: it has finished
        if time.monotonic() > deadline:
            raise AssertionError(f"fwpick (pid {pid}) is still running after the terminal closed")
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to watch the process")
@pytest.mark.parametrize(
    ("delay", "expect"),
    [
        (0.0, "untouched"),  # the render has only just begun
        (0.15, "either"),
        (0.3, "either"),
        (0.6, "either"),
        (1.0, "either"),
        (2.0, "either"),
        (None, "complete"),  # closed on the Done screen
    ],
)
def test_closing_the_terminal_during_a_render_leaves_nothing_half_made(
    terminal: Terminal, tmp_path: Path, delay: float | None, expect: str
) -> None:
    """tmux kill-session sends SIGHUP and closes the terminal, at any moment of a render:
    the folder is exactly as before, or holds a complete project; never staging debris."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = _tree(work)
    pid_file = tmp_path / "pid"
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color"}
    command = (
        f"cd {work} && echo $$ > {pid_file} && exec env -u CI TERM=xterm-256color "
        f"{sys.executable} -m scaffolder new svc --interface api --database none --no-lock"
    )
    terminal.start(command, env)
    terminal.wait_for("Pick FastAPI or Flask")
    terminal.keys("Enter")
    terminal.wait_for("Question 1 of")
    terminal.keys("C-r")
    terminal.wait_for("We recommend FastAPI")
    terminal.keys("Enter")
    terminal.wait_for("Project name")
    terminal.keys("Enter")
    terminal.wait_for("svc/")  # the preview has finished
    pid = int(pid_file.read_text(encoding="utf-8"))
    terminal.keys("Enter")  # Create project
    if delay is None:
        terminal.wait_for("Created a FastAPI project")
    else:
        time.sleep(delay)
    terminal.tmux("kill-session", "-t", terminal.name)
    _wait_gone(pid)

    after = _tree(work)
    leftovers = [p for p in after if ".fwpick-" in p]
    assert leftovers == [], f"staging left behind after {delay}s: {leftovers}"
    if after == before:
        assert expect != "complete"
        return  # stopped before the move: exactly as before
    assert expect != "untouched", sorted(after - before)[:10]
    project = work / "svc"
    assert (project / "pyproject.toml").is_file(), sorted(after - before)[:10]
    assert (project / ADR_PATH).is_file()
    assert (project / ".copier-answers.yml").is_file()
