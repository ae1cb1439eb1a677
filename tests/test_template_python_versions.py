"""A generated project names one Python everywhere: its metadata, its linters, its CI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.support.generated import REPO
from tests.support.rendered import render_template

SUPPORTED = ("3.11", "3.12", "3.13")


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
@pytest.mark.parametrize("python", SUPPORTED)
def test_versions_agree(tmp_path: Path, framework: str, python: str) -> None:
    ci = "github" if python != "3.12" else "gitlab"
    project = render_template(
        REPO / "templates" / framework,
        tmp_path / "p",
        {"python_version": python, "ci": ci, "database": "sqlite", "docker": True},
    )
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={python}"
    assert pyproject["tool"]["ruff"]["target-version"] == f"py{python.replace('.', '')}"
    assert pyproject["tool"]["mypy"]["python_version"] == python
    assert (project / ".python-version").read_text().strip() == python
    # CI tests the oldest supported version and the newest.
    if ci == "github":
        workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
        versions = {
            str(v)
            for job in workflow["jobs"].values()
            for v in job.get("strategy", {}).get("matrix", {}).get("python-version", [])
        }
    else:
        # Image tags (python:3.12-slim) and matrix values name the versions.
        versions = set(re.findall(r"\b3\.1\d\b", (project / ".gitlab-ci.yml").read_text()))
    assert {python, SUPPORTED[-1]} <= versions, versions
