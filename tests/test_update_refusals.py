"""Bad input and unsafe paths: ``update`` and ``check`` refuse with exit 2 and one line that
names the file and the problem; no traceback, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .support.cli import fwpick
from .test_update import commit_all, git
from .test_update_interrupt import make_project, make_stores, snapshot


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    v1, v2 = make_stores(tmp_path)
    return make_project(tmp_path, v1), v1, v2


def refused(project: Path, *args: str, command: str = "update") -> str:
    """Run a command that must refuse; return its one-line error."""
    before = snapshot(project)
    out = fwpick(command, *args, cwd=project)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fwpick: error: "), out.stderr
    assert snapshot(project) == before
    state = project / ".git" / "fwpick"
    assert not [p for p in state.iterdir() if p.name != "lock"] if state.exists() else True
    return lines[0]


def edit_answers(project: Path, old: str, new: str) -> None:
    answers = project / ".copier-answers.yml"
    text = answers.read_text()
    assert old in text
    answers.write_text(text.replace(old, new))
    commit_all(project, "hand edit")


def test_symlink_leading_outside_is_refused(tmp_path: Path, setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "README-shared.md").write_text("shared, not yours to change\n")
    (project / "README.md").unlink()
    (project / "README.md").symlink_to(shared / "README-shared.md")
    commit_all(project, "shared readme")
    error = refused(project, "--templates", str(v2))
    assert "README.md is a symlink to" in error and "outside the project" in error
    assert (shared / "README-shared.md").read_text() == "shared, not yours to change\n"


def test_symlinked_env_outside_is_refused(tmp_path: Path, setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    outside = tmp_path / "secrets.env"
    outside.write_bytes((project / ".env").read_bytes())
    (project / ".env").unlink()
    (project / ".env").symlink_to(outside)
    error = refused(project, "--templates", str(v2))
    assert ".env is a symlink to" in error
    assert outside.read_bytes().count(b"LOG_LEVEL") == 0


def test_file_where_the_template_adds_a_folder(setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    (v2 / "fastapi" / "scripts").mkdir()
    (v2 / "fastapi" / "scripts" / "run.sh").write_text("echo hi\n")
    (project / "scripts").write_text("my notes\n")
    commit_all(project, "a file called scripts")
    error = refused(project, "--templates", str(v2))
    assert "scripts is a file, but the template has a folder there" in error


def test_binary_content_in_a_changed_file(setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    (project / "app.py").write_bytes(b"\x00\x01binary\n")
    commit_all(project, "binary")
    assert "app.py: binary content" in refused(project, "--templates", str(v2))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("database: sqlite", "database: mysql", "database: invalid choice 'mysql'"),
        ("recommended: fastapi", "recommended: rails", "recommended 'rails'"),
        ("framework: fastapi", "framework: rails", "framework 'rails'"),
        ("template_version: '1'", "template_version: '99'", "made by a newer fwpick"),
        ("rules_version: 2026.11.1", "rules_version: 2999.1.0", "made by a newer fwpick"),
    ],
)
def test_bad_or_newer_record_check_and_update_agree(
    setup: tuple[Path, Path, Path], old: str, new: str, expected: str
) -> None:
    project, v1, _ = setup
    edit_answers(project, old, new)
    for command in ("update", "check"):
        error = refused(project, "--templates", str(v1), command=command)
        assert ".copier-answers.yml" in error and expected in error, error


def test_criteria_not_a_mapping(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    answers = project / ".copier-answers.yml"
    lines = answers.read_text().splitlines()
    start = lines.index("    criteria:")
    end = start + 1
    while lines[end].startswith("        "):
        end += 1
    answers.write_text("\n".join([*lines[:start], "    criteria: [1, 2]", *lines[end:]]) + "\n")
    commit_all(project, "criteria list")
    for command in ("update", "check"):
        error = refused(project, "--templates", str(v1), command=command)
        assert "decision: criteria must map each criterion" in error


def test_forbidden_combination_in_the_record(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    edit_answers(project, "        auth: not_sure", "        auth: token")
    edit_answers(project, "database: sqlite", "database: none")
    for command in ("update", "check"):
        error = refused(project, "--templates", str(v1), command=command)
        assert ".copier-answers.yml" in error and "needs database to be one of" in error


def test_non_utf8_answers_file(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    answers = project / ".copier-answers.yml"
    answers.write_bytes(answers.read_bytes() + b"# caf\xe9\n")
    commit_all(project, "latin-1")
    for command in ("update", "check"):
        assert "not UTF-8" in refused(project, "--templates", str(v1), command=command)


def test_not_a_directory_and_missing(setup: tuple[Path, Path, Path]) -> None:
    project, _, _ = setup
    assert "README.md is a file" in refused(project, "README.md")
    assert "/nonexistent: no such directory" in refused(project, "/nonexistent")


def test_from_a_subdirectory_points_to_the_root(setup: tuple[Path, Path, Path]) -> None:
    project, _, _ = setup
    sub = project / "docs"
    out = fwpick("update", cwd=sub)
    assert out.returncode == 2
    assert f"the project root is {project.resolve()}" in out.stderr


def test_package_rename_is_refused(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    error = refused(project, "--set", "package=shop", "--templates", str(v1))
    assert "does not rename the import package" in error


def test_repeated_set_key(setup: tuple[Path, Path, Path]) -> None:
    project, v1, _ = setup
    error = refused(
        project, "--set", "database=none", "--set", "database=postgres", "--templates", str(v1)
    )
    assert "--set database: given more than once" in error


def test_crlf_only_change_merges_cleanly(setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup
    app = project / "app.py"
    app.write_bytes(app.read_bytes().replace(b"\n", b"\r\n"))
    commit_all(project, "crlf")
    out = fwpick("update", "--templates", str(v2), cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "merged    app.py" in out.stdout
    data = app.read_bytes()
    assert b'GREETING = "hello, world"\r\n' in data and b"<<<<<<<" not in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_a_large_ignored_file_is_never_read(tmp_path: Path, setup: tuple[Path, Path, Path]) -> None:
    project, _, v2 = setup

    def peak_kib(copy: Path) -> int:
        probe = (
            "import resource, subprocess, sys\n"
            "out = subprocess.run(sys.argv[1:], capture_output=True)\n"
            "assert out.returncode == 0, out.stderr\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        )
        import sys

        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        cmd = [sys.executable, "-c", probe, sys.executable, "-m", "scaffolder", "update"]
        import subprocess

        got = subprocess.run(
            [*cmd, "--templates", str(v2)], cwd=copy, env=env, capture_output=True, text=True
        )
        assert got.returncode == 0, got.stderr
        return int(got.stdout.split()[-1])

    import shutil

    small, big = tmp_path / "small", tmp_path / "big"
    shutil.copytree(project, small, symlinks=True)
    shutil.copytree(project, big, symlinks=True)
    with (big / "model.bin").open("wb") as sparse:  # ignored by .gitignore
        sparse.truncate(3 * 1024**3)
    assert git(big, "status", "--porcelain") == ""
    assert peak_kib(big) < peak_kib(small) + 50 * 1024
