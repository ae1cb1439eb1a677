"""A rendered FastAPI project under its production server: several workers, graceful stop.

The project is installed from its own lock and started with its Dockerfile's CMD (gunicorn
with uvicorn workers, settings from gunicorn.conf.py) and 2 workers. A slow request that is
in flight when the master gets SIGTERM must still complete with 200, and the server must
then exit 0. The slow route exists only in this test's copy of the project: a small module
that imports the app and adds it, served in the app's place on the same command line.
"""

from __future__ import annotations

import json
import re
import secrets
import signal
import subprocess
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.generated import dockerfile_commands, free_port
from tests.support.project_env import synced
from tests.support.rendered import render_template

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "fastapi"
PACKAGE = "workers_probe"
WRAPPER = "slow_probe"
SLOW_SECONDS = 3.0
GRACEFUL_TIMEOUT = 20


def wrapper_source(marker: Path) -> str:
    """The app with two extra routes: /pid, and /slow, which says when it has started.

    /pid holds its worker's event loop for a moment (as CPU-bound work would), so requests
    that arrive meanwhile go to the other worker.
    """
    return textwrap.dedent(
        f"""\
        import asyncio
        import os
        import time
        from pathlib import Path

        from {PACKAGE}.main import app


        @app.get("/pid")
        async def pid() -> dict[str, int]:
            time.sleep(0.05)
            return {{"pid": os.getpid()}}


        @app.get("/slow")
        async def slow() -> dict[str, int]:
            Path({str(marker)!r}).write_text(str(os.getpid()))
            await asyncio.sleep({SLOW_SECONDS})
            return {{"pid": os.getpid()}}
        """
    )


def get_json(url: str, timeout: float = 5) -> tuple[int, dict[str, object]]:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, json.loads(resp.read())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = {
        "project_name": "Workers Probe",
        "secret_key": secrets.token_urlsafe(32),
        "database": "none",
        "docker": True,
        "ci": "none",
        # The Prometheus hooks in gunicorn.conf.py run at start and at each worker's exit.
        "observability": "prometheus",
        "python_version": "3.12",
    }
    return render_template(TEMPLATE, tmp_path_factory.mktemp("workers") / "project", data)


@pytest.fixture
def server(project: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """The image's CMD with the wrapper in the app's place, 2 workers, production settings."""
    cmd, _ = dockerfile_commands(project)
    app_spec = f"{PACKAGE}.main:app"
    assert cmd[0] == "gunicorn" and app_spec in cmd, cmd
    marker = tmp_path / "slow-started"
    # Gunicorn puts its working directory on sys.path, so the wrapper is importable.
    (project / f"{WRAPPER}.py").write_text(wrapper_source(marker), encoding="utf-8")
    port = free_port()
    env = {
        **synced(project, "3.12"),
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_FORMAT": "json",
        "PORT": str(port),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": str(GRACEFUL_TIMEOUT),
    }
    log = tmp_path / "server.log"
    args = [f"{WRAPPER}:app" if arg == app_spec else arg for arg in cmd]
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=project, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"gunicorn exited {proc.returncode}:\n{log.read_text()[-4000:]}")
            try:
                if get_json(f"{base}/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"no answer on /healthz within 60 s:\n{log.read_text()[-4000:]}")
            time.sleep(0.2)
        yield proc, base, marker
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        print(log.read_text(errors="replace")[-6000:])  # shown by pytest on failure


def booted_workers(log_text: str) -> set[int]:
    return {int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", log_text)}


def access_lines(log_text: str) -> list[dict[str, object]]:
    """The JSON log lines of the access log (any logger named ...access)."""
    found = []
    for line in log_text.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if str(record.get("logger", "")).endswith("access"):
                found.append(record)
    return found


def test_several_workers_serve_and_sigterm_lets_a_slow_request_finish(
    server: tuple[subprocess.Popen[bytes], str, Path], tmp_path: Path
) -> None:
    proc, base, marker = server
    log = tmp_path / "server.log"

    # Two worker processes boot, and both answer requests.
    deadline = time.monotonic() + 30
    while len(booted_workers(log.read_text())) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    booted = booted_workers(log.read_text())
    assert len(booted) == 2, log.read_text()
    seen: set[int] = set()
    pid_requests = 0
    with ThreadPoolExecutor(max_workers=4) as pool:
        while len(seen) < 2 and pid_requests < 200:
            for status, body in pool.map(get_json, [f"{base}/pid"] * 4):
                assert status == 200
                seen.add(int(str(body["pid"])))
            pid_requests += 4
    assert seen == booted
    assert proc.pid not in seen  # the master only manages

    # A slow request is in flight (its handler has started) when the master gets SIGTERM.
    result: dict[str, object] = {}

    def call_slow() -> None:
        try:
            result["answer"] = get_json(f"{base}/slow", timeout=GRACEFUL_TIMEOUT + 10)
            result["answered"] = time.monotonic()
        except Exception as exc:  # reported by the assertion below
            result["error"] = exc

    client = threading.Thread(target=call_slow)
    client.start()
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the slow request never reached the app"
    proc.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    client.join(timeout=GRACEFUL_TIMEOUT + 15)

    assert "error" not in result, result
    status, body = result["answer"]  # type: ignore[misc]
    assert status == 200
    assert body == {"pid": int(marker.read_text())}
    # The answer came after the signal: the request was in flight, and the stop waited.
    assert float(result["answered"]) > signalled  # type: ignore[arg-type]
    assert proc.wait(timeout=GRACEFUL_TIMEOUT + 15) == 0, log.read_text()[-4000:]
    text = log.read_text()
    assert "Handling signal: term" in text
    assert "Shutting down: Master" in text
    # Each request got exactly one access log line, the app's (with its request id).
    lines = access_lines(text)
    assert len([r for r in lines if r.get("path") == "/pid"]) == pid_requests
    slow_lines = [r for r in lines if r.get("path") == "/slow"]
    assert len(slow_lines) == 1, lines
    assert slow_lines[0]["logger"] == f"{PACKAGE}.access"
    assert slow_lines[0]["status"] == 200
    assert slow_lines[0]["request_id"]
    assert not [r for r in lines if r["logger"] != f"{PACKAGE}.access"]
    # No worker was killed for overrunning the graceful timeout.
    assert "SIGKILL" not in text
    # With LOG_FORMAT=json every line is JSON, gunicorn's master's own lines included.
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    messages = {str(record["message"]) for record in records}
    assert {"Handling signal: term", "Shutting down: Master"} <= messages
