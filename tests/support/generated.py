"""Run a rendered project's own checks with real tools.

Every rendered project shares one virtual environment, built once from
``tests/requirements/projects.txt`` (which includes the per-framework files) and
cached by their hash, so the suite
installs the generated projects' dependencies a single time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from filelock import FileLock

REPO = Path(__file__).resolve().parents[2]
REQUIREMENTS = REPO / "tests" / "requirements" / "projects.txt"
CACHE = REPO / ".cache"


def project_env() -> Path:
    """Return the bin directory of the shared environment, creating it if needed."""
    hasher = hashlib.sha256()
    for part in sorted(REQUIREMENTS.parent.glob("*.txt")):
        hasher.update(part.read_bytes())
    digest = hasher.hexdigest()[:12]
    env_dir = CACHE / f"project-env-{digest}"
    bin_dir = env_dir / "bin"
    CACHE.mkdir(exist_ok=True)
    with FileLock(str(CACHE / f"project-env-{digest}.lock")):
        if not (env_dir / "ready").exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(env_dir)], check=True)
            subprocess.run(
                [str(bin_dir / "python"), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)],
                check=True,
            )
            (env_dir / "ready").write_text("ok\n")
    return bin_dir


def tool_env(bin_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment that puts the shared tools first and isolates caches."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env["MYPY_CACHE_DIR"] = str(CACHE / "mypy")
    env["RUFF_CACHE_DIR"] = str(CACHE / "ruff")
    env["NO_COLOR"] = "1"
    if extra:
        env.update(extra)
    return env


def run(
    args: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run a command and fail the test with its output if it exits non-zero."""
    proc = subprocess.run(
        list(args), cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} exited {proc.returncode} in {cwd}\n"
            f"--- stdout ---\n{proc.stdout[-6000:]}\n--- stderr ---\n{proc.stderr[-6000:]}"
        )
    return proc


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(
    args: Sequence[str], cwd: Path, env: Mapping[str, str], port: int, timeout: float = 30
) -> Iterator[str]:
    """Start a server, wait until ``/healthz`` answers, yield its base URL, then stop it."""
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        list(args),
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read() if proc.stdout else ""
                pytest.fail(f"server exited {proc.returncode}:\n{out[-6000:]}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not answer /healthz within {timeout}s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def postgres_admin_url() -> str | None:
    return os.environ.get("FWPICK_TEST_POSTGRES_URL") or None


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database on the real server and yield a psycopg URL for it.

    Without ``FWPICK_TEST_POSTGRES_URL`` the test is skipped, unless
    ``FWPICK_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) makes that a failure.
    """
    admin = postgres_admin_url()
    if admin is None:
        if os.environ.get("FWPICK_REQUIRE_POSTGRES") == "1":
            pytest.fail("FWPICK_TEST_POSTGRES_URL is not set but PostgreSQL is required")
        pytest.skip("no PostgreSQL server (set FWPICK_TEST_POSTGRES_URL)")
    name = f"fwpick_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    base, _, _ = admin.rpartition("/")
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        subprocess.run(
            ["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False
        )
