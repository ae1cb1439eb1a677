"""``.copier-answers.yml`` records the answers given: unanswered criteria stay "not sure"."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from scaffolder.decide.model import RuleSet
from tests.support.cli import fwpick


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_unanswered_criteria_are_recorded_as_not_sure(
    tmp_path: Path, framework: str, bundled_rules: RuleSet
) -> None:
    dest = tmp_path / "svc"
    out = fwpick(
        "new", str(dest), "--yes", "--no-lock", "--framework", framework, "--async-io", "yes",
        cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    shaping = [c.id for c in bundled_rules.criteria if c.project_default is not None]
    assert "async_io" in shaping
    for criterion in shaping:
        given = answers["decision"]["criteria"][criterion]
        if criterion in answers:
            assert answers[criterion] == given, criterion
    assert answers["async_io"] == "yes"
    assert answers["api_docs"] == "not_sure"


def test_update_renders_a_not_sure_answer_with_its_default(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    made = fwpick("new", str(dest), "--yes", "--no-lock", "--framework", "fastapi", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    # Nothing changed: the old render must reproduce the project exactly.
    same = fwpick("update", cwd=dest)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "Nothing to change" in same.stdout
    changed = fwpick("update", "--set", "async_io=yes", cwd=dest)
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert list((dest / "src").glob("*/api/aggregate.py"))
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["async_io"] == "yes"
    assert answers["api_docs"] == "not_sure"
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"], cwd=dest, capture_output=True, text=True
    )
    assert status.stdout.strip()


def test_deploy_targets_are_recorded_as_a_list_and_updated(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    made = fwpick(
        "new", str(dest), "--yes", "--no-lock", "--framework", "flask", "--database", "none",
        cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["deploy"] == ["compose"]
    assert "kubernetes" not in answers and "compose" not in answers  # derived, not recorded
    changed = fwpick("update", "--set", "deploy=compose,kubernetes", cwd=dest)
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert (dest / "deploy" / "k8s" / "base" / "deployment.yaml").is_file()
    assert yaml.safe_load((dest / ".copier-answers.yml").read_text())["deploy"] == [
        "compose",
        "kubernetes",
    ]
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    subprocess.run(["git", "commit", "-qm", "kubernetes too"], cwd=dest, check=True)
    dropped = fwpick("update", "--set", "deploy=kubernetes", cwd=dest)
    assert dropped.returncode == 0, dropped.stdout + dropped.stderr
    assert not (dest / "compose.yaml").exists()
    assert (dest / "deploy" / "k8s" / "base" / "deployment.yaml").is_file()


def test_a_project_recorded_with_the_kubernetes_switch_keeps_its_manifests(
    tmp_path: Path,
) -> None:
    dest = tmp_path / "svc"
    made = fwpick(
        "new", str(dest), "--yes", "--no-lock", "--framework", "fastapi", "--database", "none",
        "--deploy", "compose,kubernetes", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    # As fwpick recorded it before deploy targets were one option.
    record = dest / ".copier-answers.yml"
    answers = yaml.safe_load(record.read_text())
    del answers["deploy"]
    answers["kubernetes"] = True
    record.write_text(yaml.safe_dump(answers, sort_keys=False))
    subprocess.run(["git", "commit", "-qam", "old record"], cwd=dest, check=True)
    same = fwpick("update", cwd=dest)
    assert same.returncode == 0, same.stdout + same.stderr
    assert (dest / "deploy" / "k8s" / "base" / "deployment.yaml").is_file()
    assert (dest / "compose.yaml").is_file()
