"""``fwpick new`` without a terminal: decisions, options, safety, git and atomicity."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml

from scaffolder.errors import RenderError
from scaffolder.project.filetree import file_tree
from scaffolder.project.naming import check_package_name, check_project_name, package_for
from scaffolder.project.render import _merge_into

from .conftest import FIXTURES, REPO
from .support.cli import fwpick


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under root with its content (None for directories)."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message", "suggestion"),
    [
        ("", "empty", None),
        ("class", "keyword", "class-app"),
        ("a/b", "path separator", "a-b"),
        ("..", "path separator", None),
        ("my..svc", "path separator", "my-svc"),
        ("9lives", "start with a letter", "lives"),
        ("my service!", "start with a letter", "my-service"),
        ("x" * 101, "at most 100", "x" * 100),
        ("json", "standard library", "json-app"),
        ("flask", "shadow a package the project uses", "flask-app"),
    ],
)
def test_bad_names_get_a_reason_and_a_suggestion(
    name: str, message: str, suggestion: str | None
) -> None:
    problem = check_project_name(name)
    assert problem is not None
    assert message in problem.message
    assert problem.suggestion == suggestion
    if suggestion is not None:
        assert check_project_name(suggestion) is None


@pytest.mark.parametrize("name", ["svc", "my-service", "Billing.API", "a" * 100])
def test_good_names(name: str) -> None:
    assert check_project_name(name) is None


def test_package_names() -> None:
    assert check_package_name("billing_api") is None
    assert package_for("A" * 100) == "a" * 30  # long names give a shortened package
    problem = check_package_name("b" * 31)
    assert problem is not None and problem.suggestion == "b" * 30
    for bad in ("Billing", "with-dash", "def", "os", ""):
        assert check_package_name(bad) is not None


def test_cli_refuses_bad_name_with_suggestion(tmp_path: Path) -> None:
    out = fwpick("new", str(tmp_path / "x"), "--yes", "--name", "class")
    assert out.returncode == 2
    assert "keyword" in out.stderr and "'class-app'" in out.stderr
    assert not (tmp_path / "x").exists()
    bad_dir = fwpick("new", str(tmp_path / "for"), "--yes")
    assert bad_dir.returncode == 2
    assert "the directory name 'for'" in bad_dir.stderr and "--name" in bad_dir.stderr


# --- rendering ---------------------------------------------------------------------------


def test_new_renders_records_answers_and_decision(tmp_path: Path) -> None:
    dest = tmp_path / "billing-api"
    out = fwpick(
        "new",
        str(dest),
        "--yes",
        "--no-git",
        "--json",
        "--ml-serving",
        "yes",
        "--interface",
        "api",
        "--database",
        "postgres",
        "--author",
        "Ana",
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["framework"] == "fastapi"
    assert result["path"] == str(dest)
    assert result["answers"]["database"] == "postgres"
    assert result["answers"]["name"] == "billing-api"
    assert result["answers"]["package"] == "billing_api"
    assert sorted(result["files"]) == sorted(
        str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()
    )
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["database"] == "postgres"
    assert answers["ml_serving"] == "yes"
    assert answers["package_name"] == "billing_api"
    assert "secret_key" not in answers
    adr = (dest / "docs/adr/0001-web-framework.md").read_text()
    assert "## Context" in adr and "## Decision" in adr and "## Consequences" in adr
    assert "003_4bcb5b7ac0931e75.txt" in adr
    assert "override" not in adr.split("## Decision", 1)[1].split("###", 1)[0]
    assert result["command"] in adr


def test_framework_override_is_recorded(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    out = fwpick(
        "new",
        str(dest),
        "--yes",
        "--no-git",
        "--json",
        "--ml-serving",
        "yes",
        "--framework",
        "flask",
        "--interface",
        "html",
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert (result["framework"], result["recommended"], result["override"]) == (
        "flask",
        "fastapi",
        True,
    )
    adr = (dest / "docs/adr/0001-web-framework.md").read_text()
    assert "**override**" in adr and "recommended FastAPI" in adr
    assert "--framework flask" in adr


def test_answers_file_holds_options_and_criteria(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(
        "interface: html\nexisting_codebase: flask\nname: shop\ndatabase: none\n"
        "docker: no\nci: gitlab\npython: 3.13\n"
    )
    dest = tmp_path / "out"
    out = fwpick(
        "new", str(dest), "--answers", str(answers), "--yes", "--no-git", "--json", "--ci", "none"
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["framework"] == "flask"
    assert result["answers"]["name"] == "shop"
    assert result["answers"]["ci"] == "none"  # the flag wins over the file
    assert result["answers"]["python"] == "3.13"
    assert result["answers"]["docker"] is False
    assert not (dest / "Dockerfile").exists()


def test_dry_run_writes_nothing_and_lists_the_files(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    out = fwpick("new", str(dest), "--yes", "--dry-run", "--realtime", "yes")
    assert out.returncode == 0, out.stderr
    assert "Recommendation: FastAPI" in out.stdout
    assert "    └── 0001-web-framework.md" in out.stdout  # drawn as a tree
    assert "── pyproject.toml" in out.stdout
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == []
    as_json = json.loads(fwpick("new", str(dest), "--yes", "--dry-run", "--json").stdout)
    assert as_json["dry_run"] is True
    assert "pyproject.toml" in as_json["files"]


def test_file_tree_draws_directories_first_and_marks_overwrites() -> None:
    tree = file_tree("svc", ["b.txt", "a/x.py", "a/sub/y.py", "c.txt"], existing={"c.txt"})
    assert tree.splitlines() == [
        "svc/",
        "├── a/",
        "│   ├── sub/",
        "│   │   └── y.py",
        "│   └── x.py",
        "├── b.txt",
        "└── c.txt  (overwrites)",
    ]


def test_free_text_lands_literally(tmp_path: Path) -> None:
    nasty = 'He said "hi" \\ {{ x }} {% if %} ünïcødé ☃'
    dest = tmp_path / "svc"
    out = fwpick(
        "new",
        str(dest),
        "--yes",
        "--no-git",
        "--description",
        nasty + "\nline 2",
        "--author",
        'O\'Brien "Bob" {{ y }}',
    )
    assert out.returncode == 0, out.stderr
    project = tomllib.loads((dest / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert nasty in project["description"]
    for path in dest.rglob("*.y*ml"):
        yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "ünïcødé" in (dest / "README.md").read_text(encoding="utf-8")


def test_constraint_is_refused_with_the_fix(tmp_path: Path) -> None:
    out = fwpick("new", str(tmp_path / "svc"), "--yes", "--auth", "token", "--database", "none")
    assert out.returncode == 2
    assert "auth=token needs database to be one of sqlite, postgres, not none" in out.stderr
    assert not (tmp_path / "svc").exists()


def test_no_terminal_without_yes_lists_missing_answers(tmp_path: Path) -> None:
    out = fwpick("new", str(tmp_path / "svc"), "--interface", "api", timeout=30)
    assert out.returncode == 2
    missing = out.stderr.split("unanswered:", 1)[1].split(". ", 1)[0]
    assert "--async-io" in missing and "--interface" not in missing
    assert "--yes" in out.stderr
    assert not (tmp_path / "svc").exists()


# --- existing directories ----------------------------------------------------------------


def test_non_empty_dir_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    before = snapshot(dest)
    out = fwpick("new", str(dest), "--yes")
    assert out.returncode == 2
    assert "not empty" in out.stderr and "--overwrite" in out.stderr
    assert snapshot(dest) == before


def test_overwrite_keeps_other_files(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    (dest / "README.md").write_text("old readme")
    out = fwpick("new", str(dest), "--yes", "--overwrite", "--no-git")
    assert out.returncode == 0, out.stderr
    assert (dest / "notes.txt").read_text() == "mine"
    assert (dest / "README.md").read_text() != "old readme"
    assert (dest / "pyproject.toml").is_file()


def test_empty_dir_is_used(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    out = fwpick("new", str(dest), "--yes", "--no-git")
    assert out.returncode == 0, out.stderr
    assert (dest / "pyproject.toml").is_file()


# --- git ---------------------------------------------------------------------------------


def test_git_init_and_first_commit(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    out = fwpick("new", str(dest), "--yes", env={"HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    log = subprocess.run(["git", "log", "--oneline"], cwd=dest, capture_output=True, text=True)
    assert len(log.stdout.splitlines()) == 1
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=dest, capture_output=True, text=True
    )
    assert status.stdout == ""
    tracked = subprocess.run(["git", "ls-files"], cwd=dest, capture_output=True, text=True)
    assert ".env" not in tracked.stdout.splitlines()
    assert (dest / ".env").is_file()


def test_inside_a_work_tree_git_is_skipped(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    out = fwpick("new", str(tmp_path / "svc"), "--yes")
    assert out.returncode == 0, out.stderr
    assert "inside a git work tree" in out.stdout
    assert not (tmp_path / "svc" / ".git").exists()


def test_missing_git_is_skipped(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    out = fwpick("new", str(tmp_path / "svc"), "--yes", env={"PATH": str(bin_dir)})
    assert out.returncode == 0, out.stderr
    assert "git is not installed" in out.stdout
    assert (tmp_path / "svc" / "pyproject.toml").is_file()


def test_no_git(tmp_path: Path) -> None:
    out = fwpick("new", str(tmp_path / "svc"), "--yes", "--no-git")
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "svc" / ".git").exists()


# --- organisations' rules and templates --------------------------------------------------


def test_third_framework_from_org_rules_and_templates(tmp_path: Path) -> None:
    out = fwpick(
        "new",
        str(tmp_path / "svc"),
        "--yes",
        "--no-git",
        "--house-style",
        "yes",
        "--rules",
        str(FIXTURES / "three-frameworks.yaml"),
        "--templates",
        str(FIXTURES / "org-templates"),
    )
    assert out.returncode == 0, out.stderr
    assert "Litestar" in out.stdout
    assert "Use Litestar" in (tmp_path / "svc/docs/adr/0001-web-framework.md").read_text()


# --- atomicity ---------------------------------------------------------------------------


def test_failed_render_leaves_nothing(tmp_path: Path) -> None:
    out = fwpick(
        "new",
        str(tmp_path / "svc"),
        "--yes",
        "--no-git",
        "--templates",
        str(FIXTURES / "broken-templates"),
    )
    assert out.returncode == 1
    assert "rendering fastapi failed: ZeroDivisionError" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_render_with_overwrite_leaves_dir_as_it_was(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    (dest / "a1.txt").write_text("mine")
    before = snapshot(tmp_path)
    out = fwpick(
        "new",
        str(dest),
        "--yes",
        "--no-git",
        "--overwrite",
        "--templates",
        str(FIXTURES / "broken-templates"),
    )
    assert out.returncode == 1
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("existing", [False, True])
def test_ctrl_c_during_a_real_render_leaves_dir_as_it_was(tmp_path: Path, existing: bool) -> None:
    dest = tmp_path / "svc"
    args = ["new", str(dest), "--yes", "--no-git", "--templates", str(FIXTURES / "slow-templates")]
    if existing:
        dest.mkdir()
        (dest / "keep.txt").write_text("mine")
        args.append("--overwrite")
    before = snapshot(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("CI", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "scaffolder", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until Copier has written files into the staging directory, then interrupt.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        staged = list(tmp_path.glob(".svc.fwpick-*/many/*.txt"))
        if len(staged) > 20:
            break
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    else:
        pytest.fail("the render never started")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert snapshot(tmp_path) == before


def _staged(tmp_path: Path) -> tuple[Path, Path]:
    staging, dest = tmp_path / "staging", tmp_path / "dest"
    for rel in ("a.txt", "b/c.txt", "d/e.txt"):
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(f"new {rel}")
    dest.mkdir()
    (dest / "a.txt").write_text("old a")
    return staging, dest


def test_overwrite_never_replaces_a_directory(tmp_path: Path) -> None:
    staging, dest = _staged(tmp_path)
    (dest / "b").mkdir()
    (dest / "b" / "c.txt").mkdir()
    (dest / "b" / "c.txt" / "keep").write_text("mine")
    before = snapshot(dest)
    with pytest.raises(RenderError, match="is a directory"):
        _merge_into(staging, dest)
    assert snapshot(dest) == before


def test_merge_rolls_back_when_a_move_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staging, dest = _staged(tmp_path)
    before = snapshot(dest)
    real_rename = Path.rename

    def failing_rename(self: Path, target: str | Path) -> Path:
        # Fault injection: the disk fails on the last file, after others have moved.
        if self.name == "e.txt":
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="No space"):
        _merge_into(staging, dest)
    monkeypatch.undo()
    assert snapshot(dest) == before
    assert not list(tmp_path.glob(".dest.fwpick-backup-*"))


def test_no_staging_left_after_success(tmp_path: Path) -> None:
    assert fwpick("new", str(tmp_path / "svc"), "--yes", "--no-git").returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["svc"]
    shutil.rmtree(tmp_path / "svc")


def test_copier_still_has_the_hook_fwpick_skips() -> None:
    """render.py turns off Copier's per-file git check; notice when Copier renames it."""
    from copier import _main

    assert hasattr(_main.Worker, "_sync_git_index_executable_bit")


def test_deploy_takes_any_of_its_targets_and_names_them_when_wrong(tmp_path: Path) -> None:
    base = ("new", "svc", "--yes", "--dry-run", "--json", "--framework", "fastapi")
    both = fwpick(*base, "--database", "postgres", "--deploy", "kubernetes,compose", cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    report = json.loads(both.stdout)
    assert report["answers"]["deploy"] == "compose,kubernetes"  # in the rules' order
    assert "deploy/k8s/base/deployment.yaml" in report["files"]
    assert "compose.yaml" in report["files"]
    assert "--deploy compose,kubernetes" in report["command"]
    # Without a Dockerfile the default target drops out; asked for, it is refused.
    bare = json.loads(fwpick(*base, "--no-docker", cwd=tmp_path).stdout)
    assert bare["answers"]["deploy"] == "" and "compose.yaml" not in bare["files"]
    # "none" says so in words, as "" does.
    for spelled in ("none", "None", ""):
        chosen = json.loads(fwpick(*base, "--deploy", spelled, cwd=tmp_path).stdout)
        assert chosen["answers"]["deploy"] == "" and "compose.yaml" not in chosen["files"]
    for args, message in [
        (
            ("--deploy", "compose,swarm"),
            "invalid choice 'swarm' (choose any of compose, kubernetes, comma-separated, or none)",
        ),
        (("--deploy", "none,compose"), "deploy: none cannot be combined with a choice"),
        (("--deploy", "compose", "--no-docker"), "deploy=compose needs docker"),
        (("--deploy", "kubernetes", "--database", "sqlite"), "needs database to be one of"),
    ]:
        proc = fwpick(*base, *args, cwd=tmp_path)
        assert proc.returncode == 2, args
        assert message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    # An answers file may list them.
    answers = tmp_path / "answers.yml"
    answers.write_text("deploy: [kubernetes]\ndatabase: none\n")
    listed = json.loads(fwpick(*base, "--answers", str(answers), cwd=tmp_path).stdout)
    assert listed["answers"]["deploy"] == "kubernetes"
    assert "compose.yaml" not in listed["files"]
    assert not (tmp_path / "svc").exists()
