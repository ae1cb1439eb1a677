"""``fwpick update`` never half-applies: real updates stopped at every step, by every signal.

The update is a subprocess; ``FWPICK_UPDATE_FAULT=<point>@<signal>`` makes it send
itself the signal when it reaches a named point (planned, staged, journal, each file
switch, done). After each stop the project must be exactly as before or fully updated,
and a re-run must say what it recovered and end fully updated, with no temp folder left.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .support.cli import REPO, fwpick
from .test_update import TEMPLATE, commit_all, git, make_v2

ENV_TEMPLATE = """\
# Local settings. Git-ignored: never commit this file.
SECRET_KEY={{ secret_key or 'changethis' }}
{%- if database == 'postgres' %}
POSTGRES_PASSWORD={{ db_password or 'changethis' }}
DATABASE_URL=postgresql://app:{{ db_password or 'changethis' }}@localhost/app
{%- elif database == 'sqlite' %}
DATABASE_URL=sqlite:///app.db
{%- endif %}
"""
GITIGNORE = ".env\n.env.*\n*.bin\n"


def make_stores(tmp: Path) -> tuple[Path, Path]:
    """Template store v1 and v2 (v2 also changes .env), both with a git-ignored .env."""
    v1, v2 = tmp / "store-v1", tmp / "store-v2"
    for folder in (v1 / "fastapi", v2 / "history" / "1" / "fastapi", v2 / "fastapi"):
        shutil.copytree(TEMPLATE, folder)
        (folder / ".env.jinja").write_text(ENV_TEMPLATE)
        (folder / ".gitignore").write_text(GITIGNORE)
    make_v2(v2 / "fastapi")
    env = v2 / "fastapi" / ".env.jinja"
    env.write_text(env.read_text() + "LOG_LEVEL=INFO\n")
    (v1 / "VERSION").write_text("1\n")
    (v2 / "VERSION").write_text("2\n")
    return v1, v2


def make_project(tmp: Path, store: Path, *extra: str) -> Path:
    dest = tmp / "svc"
    out = fwpick(
        "new",
        str(dest),
        "--yes",
        "--interface",
        "api",
        "--no-lock",
        "--templates",
        str(store),
        *extra,
        cwd=tmp,
        env={"HOME": str(tmp)},
    )
    assert out.returncode == 0, out.stderr
    assert git(dest, "status", "--porcelain") == ""
    return dest


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file outside .git (ignored ones too) with its mode; not the .env backup."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            if rel != ".env.fwpick-backup":
                files[rel] = (path.read_bytes(), stat.S_IMODE(path.lstat().st_mode))
    return files


def leftovers(root: Path, tmpdir: Path) -> list[str]:
    found = [p.name for p in tmpdir.iterdir()]
    found += [p.name for p in (root / ".git" / "fwpick").iterdir() if p.name != "lock"]
    found += [p.name for p in root.parent.iterdir() if "fwpick" in p.name]
    return found


POINTS = ["planned", "staged", "journal", "switch-0", "switch-3", "switch-5", "done"]
# Before the switch a stop signal unwinds the update; from the first rename it completes.
COMPLETES = {"switch-0", "switch-3", "switch-5", "done"}


@pytest.mark.parametrize("sig", ["INT", "TERM", "KILL"])
def test_interrupted_update_is_all_or_nothing(tmp_path: Path, sig: str) -> None:
    v1, v2 = make_stores(tmp_path)
    pristine = make_project(tmp_path, v1)
    readme = pristine / "README.md"
    readme.write_text(readme.read_text() + "\nOur notes.\n")  # merged, not replaced
    commit_all(pristine, "notes")
    (pristine / "model.bin").write_bytes(b"\0" * 1024)  # ignored: never touched
    before = snapshot(pristine)
    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference, symlinks=True)
    done = fwpick("update", "--templates", str(v2), cwd=reference)
    assert done.returncode == 0, done.stderr
    assert "updated   .env" in done.stdout
    after = snapshot(reference)
    assert after != before

    for point in POINTS:
        work = tmp_path / f"run-{point}"
        shutil.copytree(pristine, work / "svc", symlinks=True)
        project, tmpdir = work / "svc", work / "tmp"
        tmpdir.mkdir()
        env = {"TMPDIR": str(tmpdir), "FWPICK_UPDATE_FAULT": f"{point}@{sig}"}
        stopped = fwpick("update", "--templates", str(v2), cwd=project, env=env)
        state = snapshot(project)
        if sig != "KILL":
            assert state in (before, after), f"{sig} at {point}: half-applied"
        if sig == "KILL":
            assert stopped.returncode == -signal.SIGKILL
        elif point in COMPLETES:
            assert stopped.returncode == 0, (point, stopped.stderr)
            assert state == after and "interrupted" not in stopped.stderr
        else:
            code = 128 + getattr(signal, f"SIG{sig}")
            assert stopped.returncode == code, (point, stopped.stdout, stopped.stderr)
            assert state == before
            assert "before anything was written; the project is unchanged" in stopped.stderr
            assert leftovers(project, tmpdir) == []
        if (project / ".env.fwpick-backup").exists():
            assert (project / ".env.fwpick-backup").read_bytes() == before[".env"][0]
        env.pop("FWPICK_UPDATE_FAULT")
        if sig == "KILL":
            # A crash is only settled by the next run: it finishes or rolls back, and says so.
            look = fwpick("update", "--dry-run", "--templates", str(v2), cwd=project, env=env)
            state = snapshot(project)
            assert state in (before, after), f"{sig} at {point}: not recovered"
            if point in COMPLETES:
                said = "finished" if point == "done" else "rolled back"
                assert f"{said} an interrupted update" in look.stderr, (point, look.stderr)
        assert leftovers(project, tmpdir) == []
        if state == before:
            again = fwpick("update", "--templates", str(v2), cwd=project, env=env)
            assert again.returncode == 0, (point, again.stdout, again.stderr)
            assert snapshot(project) == after, f"{sig} at {point}: re-run did not finish"
            assert leftovers(project, tmpdir) == []


def test_a_second_update_at_the_same_time_is_refused(tmp_path: Path) -> None:
    v1, _ = make_stores(tmp_path)
    project = make_project(tmp_path, v1)
    env = {**os.environ, "PYTHONPATH": str(REPO), "FWPICK_UPDATE_FAULT": "planned@STOP"}
    env.pop("CI", None)
    cmd = [sys.executable, "-m", "scaffolder", "update", "--templates", str(v1)]
    first = subprocess.Popen(
        [*cmd, "--set", "database=postgres"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while _state(first.pid) != "T":  # stopped, holding the lock
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        second = fwpick("update", "--set", "database=none", "--templates", str(v1), cwd=project)
        assert second.returncode == 2
        assert "another fwpick update is running on this project" in second.stderr
    finally:
        first.send_signal(signal.SIGCONT)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    answers = (project / ".copier-answers.yml").read_text()
    assert "database: postgres" in answers
    assert (project / "db.py").read_text() == 'DATABASE = "postgres"\n'
    assert sorted(p.name for p in (project / "docs" / "adr").iterdir()) == [
        "0001-web-framework.md",
        "0002-change-database.md",
    ]


def _state(pid: int) -> str:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return "?"
    return fields[0]
