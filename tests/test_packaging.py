"""The wheel carries the rules and templates: a real, non-editable install works anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

from .conftest import REPO


def test_wheel_install_runs_from_an_unrelated_directory(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    out = run(str(bin_dir / "fwpick"), "recommend", "--json", "--ml-serving", "yes")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["framework"] == "fastapi"
    module = run(str(bin_dir / "python"), "-m", "scaffolder", "--version")
    assert module.stdout.strip().startswith("fwpick ")
    # The bundled files come from the installed package, not from this checkout.
    where = run(
        str(bin_dir / "python"),
        "-c",
        "from scaffolder.resources import data_root; print(data_root())",
    )
    root = Path(where.stdout.strip())
    assert root.is_relative_to(env_dir)
    assert (root / "rules.yaml").is_file()
    for framework in ("fastapi", "flask"):
        assert (root / "templates" / framework / "copier.yml").is_file()
    # pip byte-compiles package data too; add the rest of what a working tree collects.
    templates = root / "templates"
    compiled = run(str(bin_dir / "python"), "-m", "compileall", "-q", str(templates))
    assert compiled.returncode == 0, compiled.stdout
    for framework in ("fastapi", "flask"):
        for junk in (".DS_Store", "notes.py~", ".main.py.swp"):
            (templates / framework / junk).write_text("junk\n")
    assert list(templates.rglob("*.pyc"))
    for framework in ("fastapi", "flask"):
        new = run(
            str(bin_dir / "fwpick"), "new", f"{framework}-svc", "--yes", "--no-git", "--no-lock",
            "--framework", framework,
        )  # fmt: skip
        assert new.returncode == 0, new.stderr
        made = elsewhere / f"{framework}-svc"
        assert (made / "pyproject.toml").is_file()
        stale = [
            p.relative_to(made).as_posix()
            for p in made.rglob("*")
            if p.name in ("__pycache__", ".DS_Store")
            or p.suffix in (".pyc", ".pyo", ".swp")
            or p.name.endswith("~")
        ]
        assert stale == [], framework
    assert sys.executable  # the test itself ran under the development interpreter
