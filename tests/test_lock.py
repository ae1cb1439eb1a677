"""``fwpick new`` locks the project with uv, and still creates it when it can't."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from scaffolder.project.lock import describe_failure
from tests.support.cli import fwpick

FAST = ("--framework", "flask", "--database", "none", "--ci", "none", "--no-docker")


def tracked(project: Path) -> list[str]:
    out = subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_json_reports_the_lock_step_and_the_lock_is_committed(tmp_path: Path) -> None:
    out = fwpick("new", str(tmp_path / "svc"), "--yes", "--json", *FAST, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["lock"] == {"locked": True, "message": ""}
    assert result["steps"].index("lock") < result["steps"].index("git")
    assert "uv.lock" in result["files"]
    assert "uv.lock" in tracked(tmp_path / "svc")


def test_no_lock_skips_it(tmp_path: Path) -> None:
    out = fwpick("new", str(tmp_path / "svc"), "--yes", "--no-lock", *FAST, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "svc" / "uv.lock").exists()
    assert "--no-lock" in out.stdout
    assert out.stderr == ""


def test_an_unreachable_index_is_one_line_and_the_project_is_still_made(tmp_path: Path) -> None:
    offline = {
        # Nothing listens on port 9, and an empty cache has nothing to fall back on.
        "UV_INDEX_URL": "http://127.0.0.1:9/simple",
        "UV_DEFAULT_INDEX": "http://127.0.0.1:9/simple",
        "UV_CACHE_DIR": str(tmp_path / "empty-cache"),
        "UV_HTTP_RETRIES": "0",
    }
    out = fwpick("new", str(tmp_path / "svc"), "--yes", *FAST, cwd=tmp_path, env=offline)
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("\n") == 1, out.stderr
    assert "could not reach the package index" in out.stderr
    assert "uv lock" in out.stderr
    assert (tmp_path / "svc" / "pyproject.toml").is_file()
    assert not (tmp_path / "svc" / "uv.lock").exists()
    assert "uv.lock" not in tracked(tmp_path / "svc")
    # The summary that stays in the scrollback says how to make the lock later.
    assert "run 'uv lock' in the project" in out.stdout


def test_failures_are_described_in_one_line() -> None:
    assert describe_failure("error: Failed to fetch: `http://x`\n  cause: dns error") == (
        "uv lock could not reach the package index"
    )
    assert "found no Python" in describe_failure("error: No interpreter found for Python >=3.13")
    assert describe_failure("error: something else\nmore") == "uv lock failed: something else"
