"""Run a rendered project's commands, serve it, and give it a real PostgreSQL database.

Each project runs in its own environment (``tests/support/project_env.py``), never in
fwpick's.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pytest

REPO = Path(__file__).resolve().parents[2]


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
    args: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    port: int,
    timeout: float = 30,
    output: Path | None = None,
) -> Iterator[str]:
    """Start a server, wait until ``/healthz`` answers, yield its base URL, then stop it.

    The server's stdout and stderr go to ``output`` (a temporary file if None), for the
    caller to read once the server has stopped.
    """
    base = f"http://127.0.0.1:{port}"
    with contextlib.ExitStack() as files:
        if output is None:
            sink: IO[str] = files.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        else:
            sink = files.enter_context(output.open("w+", encoding="utf-8"))
        proc = subprocess.Popen(
            list(args), cwd=cwd, env=dict(env), stdout=sink, stderr=subprocess.STDOUT, text=True
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    sink.seek(0)
                    pytest.fail(f"server exited {proc.returncode}:\n{sink.read()[-6000:]}")
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
            stop_server(proc)


def stop_server(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """SIGTERM, and SIGKILL if the server has not gone within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def assert_json_lines(*logs: Path) -> None:
    """Every non-empty line of these log files is one JSON object."""
    for log in logs:
        for number, line in enumerate(log.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    record = json.loads(line)
                except ValueError:
                    pytest.fail(f"{log.name} line {number} is not JSON: {line[:300]}")
                assert isinstance(record, dict), line


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


def dockerfile_commands(project: Path) -> tuple[list[str], list[str]]:
    """The image's CMD and HEALTHCHECK command, as exec-form argument lists."""
    text = (project / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    cmd = health = None
    for line in text.splitlines():
        if line.startswith("CMD "):
            cmd = json.loads(line.removeprefix("CMD "))
        elif line.startswith("HEALTHCHECK "):
            health = json.loads(line[line.index(" CMD ") + 5 :])
    assert cmd and health, "the Dockerfile needs an exec-form CMD and HEALTHCHECK"
    return cmd, health
