"""The README tells the truth: its CLI reference is the real --help, its commands exist."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import REPO


def _section(text: str, marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n(.*?)<!-- /{marker} -->", text, flags=re.S)
    assert match, marker
    return match.group(1)


def test_cli_reference_matches_help() -> None:
    generated = subprocess.run(
        [sys.executable, "docs/cli_reference.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert _section(readme, "cli-reference") == generated, (
        "README's CLI reference is stale: run python docs/cli_reference.py"
    )


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = _section(readme, "test-command").strip().strip("`").removeprefix("sh").strip()
    assert command == "python3 -m pip install -e '.[test]' && python3 -m pytest"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci  # .ci/run extracts and runs exactly that block
