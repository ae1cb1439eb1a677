"""``.env`` through updates: backed up, merged by key, the user's values and bytes kept;
and the update's output says exactly what happened."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .support.cli import fwpick
from .test_update import commit_all
from .test_update_interrupt import make_project, make_stores


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    v1, v2 = make_stores(tmp_path)
    return make_project(tmp_path, v1), v1, v2


def update(project: Path, store: Path, *args: str, code: int = 0) -> str:
    out = fwpick("update", *args, "--templates", str(store), cwd=project)
    assert out.returncode == code, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    return out.stdout


def keys(project: Path) -> dict[str, str]:
    lines = (project / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_database_there_and_back_leaves_no_stale_keys(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    original = (project / ".env").read_bytes()
    secret = keys(project)["SECRET_KEY"]
    update(project, v1, "--set", "database=postgres")
    assert (project / ".env.fwpick-backup").read_bytes() == original
    pg = keys(project)
    assert pg["SECRET_KEY"] == secret
    password = pg["POSTGRES_PASSWORD"]
    assert password != "changethis"
    assert pg["DATABASE_URL"] == f"postgresql://app:{password}@localhost/app"
    commit_all(project, "postgres")
    update(project, v1, "--set", "database=sqlite")
    back = keys(project)
    assert back == {"SECRET_KEY": secret, "DATABASE_URL": "sqlite:///app.db"}
    assert "Added by fwpick" not in (project / ".env").read_text()


def test_a_value_the_user_changed_is_kept_and_named(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    env = project / ".env"
    env.write_text(env.read_text().replace("sqlite:///app.db", "sqlite:////data/prod.db"))
    out = update(project, v1, "--set", "database=postgres", code=1)
    assert keys(project)["DATABASE_URL"] == "sqlite:////data/prod.db"
    assert "Check .env: you changed DATABASE_URL" in out
    assert "POSTGRES_PASSWORD" in keys(project)  # new keys the answer needs still arrive


def test_deleted_keys_stay_deleted(setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    env = project / ".env"
    env.write_text("".join(ln for ln in env.read_text().splitlines(True) if "DATABASE" not in ln))
    update(project, v2)
    assert "DATABASE_URL" not in keys(project)
    assert keys(project)["LOG_LEVEL"] == "INFO"  # new in this template version


def test_crlf_and_non_utf8_bytes_are_kept(setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    env = project / ".env"
    raw = env.read_bytes().replace(b"\n", b"\r\n") + b"GREETING=caf\xe9\r\n"
    env.write_bytes(raw)
    update(project, v2)
    data = env.read_bytes()
    assert data.startswith(raw)  # every old byte in place, the new key appended
    assert data.endswith(b"LOG_LEVEL=INFO\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")


def recorded_python(project: Path) -> str:
    import yaml

    return str(yaml.safe_load((project / ".copier-answers.yml").read_text())["python_version"])


def test_noop_set_writes_nothing(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    python = recorded_python(project)
    out = update(project, v1, "--set", "database=sqlite", "--set", f"python={python}")
    assert out.strip() == "Nothing to change: the project matches its template."
    assert not (project / "docs" / "adr" / "0002-change-database.md").exists()


def test_adr_before_values(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    python = recorded_python(project)
    other = "3.13" if python != "3.13" else "3.12"
    update(project, v1, "--set", f"python={other}", "--set", "docker=no", "--set", "traffic=high")
    adr = next((project / "docs" / "adr").glob("0002-*.md")).read_text()
    assert f"| python | {python} | {other} |" in adr
    assert "| docker | yes | no |" in adr
    assert "| traffic | not_sure | high |" in adr


def test_renamed_file_the_template_changes_is_reported(setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    (project / "app.py").rename(project / "application.py")
    commit_all(project, "rename")
    out = update(project, v2)
    assert "Kept deleted (yours): app.py" in out
    assert "if you renamed one, apply that change by hand" in out


def test_dry_run_says_why_it_exits_1(setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    app = project / "app.py"
    app.write_text(app.read_text().replace('"hello"', '"hi"'))
    commit_all(project, "edit")
    out = update(project, v2, "--dry-run", code=1)
    assert "Exit status 1: applying it would leave conflicts in app.py." in out


def test_hand_added_answer_keys_are_kept(setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text() + "team_channel: '#payments'\n")
    commit_all(project, "our key")
    out = update(project, v2)
    assert "team_channel: '#payments'" in answers.read_text()
    assert "Kept keys you added to .copier-answers.yml: team_channel." in out


def test_unreachable_index_relock_says_so_and_continues(
    tmp_path: Path, setup: tuple[Path, Path, Path]
) -> None:
    _, v1, _ = setup
    (v1 / "fastapi" / "pyproject.toml.jinja").write_text(PYPROJECT)
    (tmp_path / "locked").mkdir()
    fresh = make_project(tmp_path / "locked", v1)
    (fresh / "uv.lock").write_text("version = 1\n")
    commit_all(fresh, "a lock")
    env = {"UV_INDEX_URL": "http://127.0.0.1:9/simple/", "UV_NO_CACHE": "1", "UV_HTTP_RETRIES": "0"}
    out = fwpick(
        "update",
        "--set",
        "database=postgres",
        "--json",
        "--templates",
        str(v1),
        cwd=fresh,
        env=env,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    result = json.loads(out.stdout)
    notes = [n for n in result["notes"] if "uv.lock was not relocked" in n]
    assert len(notes) == 1 and re.search(r"could not reach the package index|uv lock", notes[0])
    assert (fresh / "uv.lock").read_text() == "version = 1\n"
    assert {f["path"]: f["status"] for f in result["files"]}["pyproject.toml"] == "updated"


PYPROJECT = """\
[project]
name = "{{ package_name }}"
version = "0.1.0"
requires-python = ">={{ python_version }}"
dependencies = [{% if database == 'postgres' %}"psycopg>=3.2"{% endif %}]
"""
