"""Give a generated project its own environment, built the way its README tells a user to.

Each project is locked (``uv lock``, unless it already ships ``uv.lock``) and installed with
``uv sync --locked`` into its own ``.venv``, on the Python it asks for. Nothing from fwpick's
environment leaks in, so a dependency missing from one option combination fails its checks.
A uv cache shared by every test keeps this fast.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
import uv

REPO = Path(__file__).resolve().parents[2]
UV_CACHE = REPO / ".cache" / "uv"


# Tools fwpick's tests run on a project from outside it, from fwpick's own environment.
ZIZMOR = [str(Path(sys.executable).parent / "zizmor")]


def uv_bin() -> str:
    return uv.find_uv_bin()


@functools.cache
def interpreter(version: str) -> str | None:
    """A CPython ``version`` (major.minor) on this machine: pyenv's, or one on PATH."""
    roots = []
    pyenv = shutil.which("pyenv")
    if pyenv:
        out = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            roots.append(Path(out.stdout.strip()) / "versions")
    roots.append(Path.home() / ".pyenv" / "versions")
    for root in roots:
        found = sorted(
            (p for p in root.glob(f"{version}.*/bin/python{version}") if _patch(p) >= 0),
            key=_patch,
        )
        if found:
            return str(found[-1])
    return shutil.which(f"python{version}")


def _patch(python: Path) -> int:
    """The patch number of ``.../versions/3.13.0/bin/python3.13``; -1 for dev builds."""
    patch = python.parts[-3].split(".")[2]
    return int(patch) if patch.isdigit() else -1


def require_interpreter(version: str) -> str:
    """The interpreter for ``version``, or skip (fail under ``FWPICK_REQUIRE_PYTHONS=1``)."""
    found = interpreter(version)
    if found is None:
        message = f"no Python {version} on this machine"
        if os.environ.get("FWPICK_REQUIRE_PYTHONS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


def base_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a user's shell would have: no virtualenv, no test-runner leftovers."""
    # PYENV_VERSION: pyenv pins fwpick's Python for child processes, which would hide the
    # project's own .python-version from version-manager shims.
    drop = (
        "VIRTUAL_ENV",
        "PYTHONPATH",
        "PYTHONHOME",
        "UV_",
        "PYTEST_",
        "COV_CORE",
        "PYENV_VERSION",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["UV_CACHE_DIR"] = str(UV_CACHE)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV_NO_PROGRESS"] = "1"
    env["NO_COLOR"] = "1"
    if extra:
        env.update(extra)
    return env


def synced(project: Path, python_version: str, *, lock: bool = True) -> dict[str, str]:
    """Lock (if needed) and ``uv sync --locked`` the project; return an env that uses it.

    The returned environment puts the project's ``.venv/bin`` first on PATH, as activating
    the virtualenv would, and points uv at the same interpreter.
    """
    python = require_interpreter(python_version)
    env = base_env({"UV_PYTHON": python})
    if lock and not (project / "uv.lock").exists():
        _uv(["lock"], project, env)
    _uv(["sync", "--locked"], project, env)
    venv_bin = project / ".venv" / "bin"
    env["VIRTUAL_ENV"] = str(venv_bin.parent)
    env["PATH"] = f"{venv_bin}{os.pathsep}{uv_only_dir()}{os.pathsep}{env['PATH']}"
    return env


def uv_only_dir() -> Path:
    """A directory holding nothing but ``uv``, for PATH.

    uv's own directory is fwpick's environment, whose tools must not stand in for a
    project's missing ones.
    """
    directory = REPO / ".cache" / "uv-bin"
    link = directory / "uv"
    directory.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        with contextlib.suppress(FileExistsError):  # another xdist worker made it
            link.symlink_to(uv_bin())
    return directory


def _uv(args: list[str], project: Path, env: Mapping[str, str]) -> None:
    proc = subprocess.run(
        [uv_bin(), *args],
        cwd=project,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"uv {' '.join(args)} exited {proc.returncode} in {project}\n{proc.stderr}")
