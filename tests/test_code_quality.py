"""fwpick's own code passes ruff and mypy (strict), as part of the one test command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from .conftest import REPO


def _tool(name: str) -> list[str]:
    found = shutil.which(name)
    return [found] if found else [sys.executable, "-m", name]


@pytest.mark.parametrize(
    "args",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
        # The benchmark scripts sit outside the package; the baselines are apps of the
        # generated projects' environments, not of this one.
        [
            "mypy",
            "--scripts-are-modules",
            "bench/run",
            "bench/harness.py",
            "bench/load.py",
            "bench/wizard.py",
        ],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict", "mypy-strict-bench"],
)
def test_tool_passes(args: list[str]) -> None:
    out = subprocess.run(
        [*_tool(args[0]), *args[1:]], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr[-3000:]


def test_heavy_imports_stay_in_their_modules() -> None:
    """Only scaffolder/tui imports Textual; only project/render.py imports Copier."""
    for path in (REPO / "scaffolder").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(REPO).as_posix()
        if re.search(r"^\s*(from|import) textual\b", text, flags=re.M):
            assert rel.startswith("scaffolder/tui/"), rel
        if re.search(r"^\s*(from|import) copier\b", text, flags=re.M):
            assert rel == "scaffolder/project/render.py", rel


def test_no_template_file_is_hidden_from_git() -> None:
    """A template's own .gitignore must not hide template files from this repository."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "templates", "tests"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    hidden = [p for p in out.stdout.splitlines() if "__pycache__" not in p]
    assert hidden == []
