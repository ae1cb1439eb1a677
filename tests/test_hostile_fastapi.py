"""Attack a generated FastAPI project from outside, the way a hostile client would.

Each case renders a project, gives it its own environment (``synced``), migrates a fresh
database, creates a user, and serves the app exactly as its Dockerfile's ``CMD`` does, in
production mode with ``ALLOWED_HOSTS`` set to a public name only. Then:

- the Dockerfile's ``HEALTHCHECK`` command exits 0 against it (probes answer on loopback);
- Schemathesis, run against the served OpenAPI document with every check, finds nothing;
- raw HTTP and WebSocket attacks get clean 4xx answers or closes, never a 500.

The behaviour itself is tested inside the generated project's own suite; this file checks
that it holds over a real socket, under uvicorn, with production settings.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.generated import (
    dockerfile_commands,
    free_port,
    fresh_postgres_database,
    postgres_admin_url,
    stop_server,
)
from tests.support.project_env import synced
from tests.support.rendered import render_template

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "templates" / "fastapi"
HOST = "api.example.com"
EMAIL = "mallory-target@example.com"
PASSWORD = "a long and correct password"

CASES = [
    {
        "interface": "api",
        "auth": "token",
        "database": "sqlite",
        "ml_serving": "yes",
        "realtime": "yes",
        "async_io": "yes",
        "python_version": "3.12",
    },
    {
        "interface": "both",
        "auth": "session",
        # PostgreSQL when the suite has a server, else SQLite (decided at collection).
        "database": "postgres" if postgres_admin_url() else "sqlite",
        "ml_serving": "yes",
        "realtime": "yes",
        "async_io": "no",
        "python_version": "3.13",
    },
]


def case_id(case: Mapping[str, str]) -> str:
    return f"{case['interface']}-{case['auth']}-{case['database']}-py{case['python_version']}"


# --- plain HTTP over a socket, with the Host header we choose ---------------------------


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self) -> object:
        return json.loads(self.body)


def http(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    host: str = HOST,
) -> Answer:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=dict(headers or {})
    )
    request.add_unredirected_header("Host", host)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=20) as resp:
            return Answer(resp.status, lowered(resp.headers.items()), resp.read())
    except urllib.error.HTTPError as err:
        return Answer(err.code, lowered(err.headers.items()), err.read())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def lowered(items: object) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in items}  # type: ignore[attr-defined]


def raw_exchange(port: int, head: bytes, chunks: Iterator[bytes], limit_s: float = 20) -> bytes:
    """Send a request piece by piece until the server answers; return what it answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=limit_s) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        answer = b""
        deadline = time.monotonic() + limit_s
        for chunk in chunks:
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(65536)
            if answer or time.monotonic() > deadline:
                break
            try:
                sock.sendall(chunk)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
        sock.setblocking(True)
        sock.settimeout(5)
        try:
            while b"\r\n\r\n" not in answer:
                more = sock.recv(65536)
                if not more:
                    break
                answer += more
        except (TimeoutError, ConnectionResetError):
            pass
        return answer


# --- the served project --------------------------------------------------------------


def on_port(args: list[str], port: int) -> list[str]:
    return [arg.replace("8000", str(port)) for arg in args]


@contextmanager
def database_url(case: Mapping[str, str], project: Path) -> Iterator[str]:
    if case["database"] == "postgres":
        with fresh_postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{project / 'hostile.sqlite3'}"


def run(args: list[str], project: Path, env: Mapping[str, str], **kw: object) -> str:
    proc = subprocess.run(
        args, cwd=project, env=dict(env), capture_output=True, text=True, timeout=300, **kw
    )  # type: ignore[call-overload]
    if proc.returncode != 0:
        pytest.fail(f"{shlex.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return str(proc.stdout)


@contextmanager
def served(args: list[str], project: Path, env: Mapping[str, str], port: int) -> Iterator[None]:
    log = project / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=project, env=dict(env), stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited {proc.returncode}:\n{log.read_text()[-4000:]}")
            try:
                if http(port, "GET", "/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield
    finally:
        stop_server(proc)


def server_errors(project: Path) -> list[str]:
    """Log lines for unhandled errors or tracebacks (the app logs JSON lines)."""
    text = (project / "server.log").read_text(encoding="utf-8", errors="replace")
    return [ln for ln in text.splitlines() if "Traceback" in ln or '"level": "ERROR"' in ln]


def credentials(case: Mapping[str, str], port: int) -> dict[str, str]:
    """Request headers that carry a fresh login."""
    if case["auth"] == "token":
        form = urllib.parse.urlencode({"username": EMAIL, "password": PASSWORD}).encode()
        answer = http(
            port,
            "POST",
            "/api/v1/auth/token",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status == 200, answer.body
        assert answer.headers["cache-control"] == "no-store"
        token = answer.json()["access_token"]  # type: ignore[index]
        return {"Authorization": f"Bearer {token}"}
    page = http(port, "GET", "/login")
    cookie = page.headers["set-cookie"].split(";", 1)[0]
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.body.decode())
    assert match is not None
    form = urllib.parse.urlencode(
        {"email": EMAIL, "password": PASSWORD, "csrf_token": match.group(1)}
    ).encode()
    answer = http(
        port,
        "POST",
        "/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    assert answer.status == 303, answer.body
    return {"Cookie": answer.headers["set-cookie"].split(";", 1)[0]}


# --- the attacks -----------------------------------------------------------------------


def schemathesis_finds_nothing(project: Path, port: int, auth: Mapping[str, str]) -> None:
    schema = http(port, "GET", "/openapi.json")
    assert schema.status == 200
    schema_file = project / "openapi.json"
    schema_file.write_bytes(schema.body)
    config = project / "schemathesis.toml"
    config.write_text("")
    headers = dict(auth)
    if "Cookie" in headers:
        # Through the OpenAPI security scheme, so Schemathesis knows which requests to send
        # without it (a raw header would ride along on those too).
        value = headers.pop("Cookie").split("=", 1)[1]
        config.write_text(f'[auth.openapi.APIKeyCookie]\napi_key = "{value}"\n')
    args = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        str(schema_file),
        "--url",
        f"http://127.0.0.1:{port}",
        "--checks",
        "all",
        "--seed",
        "1",
        "--max-examples",
        "30",
        "--workers",
        "2",
        "--header",
        f"Host: {HOST}",
        # Logging out would revoke the credentials the rest of the run uses.
        "--exclude-path",
        "/api/v1/auth/logout",
        "--suppress-health-check",
        "all",
    ]
    for name, value in headers.items():
        args += ["--header", f"{name}: {value}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    env["NO_COLOR"] = "1"
    proc = subprocess.run(
        args, cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-2000:]


def bad_input_gets_4xx(case: Mapping[str, str], port: int, auth: Mapping[str, str]) -> None:
    json_type = {"Content-Type": "application/json"}
    for path in (
        "/api/v1/items/9223372036854775808",
        "/api/v1/items/99999999999999999999999999999",
        f"/api/v1/items?offset={10**30}",
        "/api/v1/items?limit=NaN",
    ):
        assert http(port, "GET", path).status == 422, path
    if case["ml_serving"] == "yes":
        for literal in ("NaN", "Infinity", "-Infinity", "1e999"):
            body = (
                f'{{"sepal_length": {literal}, "sepal_width": 3, "petal_length": 1, '
                '"petal_width": 0.2}'
            )
            answer = http(port, "POST", "/api/v1/predict", body.encode(), {**json_type, **auth})
            assert answer.status == 422, (literal, answer.body)

    # A body that is not JSON is a malformed request, as on Flask.
    answer = http(port, "POST", "/api/v1/echo", b'{"message": ', json_type)
    assert answer.status == 400, answer.body

    # A big field is refused without being echoed back.
    big = json.dumps({"name": "x" * 900_000}).encode()
    answer = http(port, "POST", "/api/v1/items", big, {**json_type, **auth})
    assert answer.status == 422
    assert len(answer.body) < 2000

    # 405 says what is allowed.
    answer = http(port, "POST", "/healthz")
    assert answer.status == 405
    assert answer.headers["allow"] == "GET"

    # An unknown Host gets 400 with the security headers, never 500.
    answer = http(port, "GET", "/api/v1/items", host="evil.example.net")
    assert answer.status == 400
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-request-id"]


def big_bodies_get_413(port: int, auth: Mapping[str, str]) -> None:
    cookie_or_token = "".join(f"{k}: {v}\r\n" for k, v in auth.items())
    # 200 MB announced: refused before it is read.
    head = (
        f"POST /api/v1/items HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"{cookie_or_token}Content-Length: {200 * 1024 * 1024}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    answer = raw_exchange(port, head, iter([b"{" + b" " * 65535] * 3200))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"x-content-type-options: nosniff" in answer.lower()
    # 200 MB chunked (no length announced): counted while it streams in.
    head = (
        f"POST /api/v1/items HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"{cookie_or_token}Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
    answer = raw_exchange(port, head, iter([b"1\r\n{\r\n"] + [chunk] * 3200))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 30


WS_CLIENT = r"""
import asyncio, json, sys
import websockets

async def attempt(url, headers, subprotocols, send):
    try:
        async with websockets.connect(
            url, additional_headers=headers, subprotocols=subprotocols, open_timeout=10
        ) as ws:
            if send is None:
                return "open"
            await ws.send(send.encode() if send.startswith("b:") else send)
            try:
                return "reply:" + str(await asyncio.wait_for(ws.recv(), 10))
            except websockets.ConnectionClosed as closed:
                return f"closed:{closed.rcvd.code if closed.rcvd else None}"
    except websockets.InvalidStatus as refused:
        return f"refused:{refused.response.status_code}"

async def main():
    results = []
    for url, headers, subprotocols, send in json.loads(sys.argv[1]):
        results.append(await attempt(url, headers, subprotocols, send))
    print(json.dumps(results))

asyncio.run(main())
"""


def websocket_attacks(
    case: Mapping[str, str], project: Path, env: Mapping[str, str], port: int, auth: dict[str, str]
) -> None:
    url = f"ws://127.0.0.1:{port}/ws/echo"
    host = {"Host": HOST}
    if case["auth"] == "token":
        token = auth["Authorization"].removeprefix("Bearer ")
        good_url, good = f"{url}?access_token={token}", host
    else:
        good_url, good = url, {**host, "Cookie": auth["Cookie"]}
    attempts: list[tuple[str, dict[str, str], list[str] | None, str | None]] = [
        (url, host, None, None),  # no credentials
        (good_url, {**good, "Origin": "https://evil.example.net"}, None, None),
        (good_url, {**good, "Origin": f"https://{HOST}"}, None, "hello"),
        (good_url, good, None, "b:\x00\xff binary"),
        (good_url, good, None, "x" * 10_000),
    ]
    if case["auth"] == "token":
        attempts.append((url, host, ["bearer", token], "via subprotocol"))
    out = (
        run(["python", "-c", WS_CLIENT, json.dumps(attempts)], project, env)
        .strip()
        .splitlines()[-1]
    )
    results = json.loads(out)
    # Closing before the handshake completes is a 403 on the wire.
    assert results[0] == "refused:403", results
    assert results[1] == "refused:403", results
    assert results[2] == 'reply:{"echo":"hello"}', results
    assert results[3] == "closed:1003", results
    assert results[4] == "closed:1009", results
    if case["auth"] == "token":
        assert results[5] == 'reply:{"echo":"via subprotocol"}', results


def login_guessing_is_limited(case: Mapping[str, str], port: int) -> None:
    if case["auth"] == "token":
        path, field = "/api/v1/auth/token", "username"
    else:
        return  # the session login needs a CSRF token per try; the project's tests cover it
    # From an address of its own (the server trusts X-Forwarded-For from 127.0.0.1, as
    # gunicorn.conf.py says), since Schemathesis has used up this one's failures already.
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": "203.0.113.7",
    }
    statuses = []
    for _ in range(7):
        form = urllib.parse.urlencode({field: EMAIL, "password": "guess"}).encode()
        answer = http(port, "POST", path, form, headers)
        statuses.append(answer.status)
    assert statuses[:5] == [401] * 5, statuses
    assert statuses[5:] == [429, 429], statuses
    assert int(answer.headers["retry-after"]) >= 1


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_generated_project_holds_up_against_a_hostile_client(
    case: dict[str, str], tmp_path: Path
) -> None:
    secret = secrets.token_urlsafe(32)
    data = {**case, "project_name": "Hostile Probe", "secret_key": secret, "docker": True}
    project = render_template(TEMPLATE, tmp_path / "project", data)
    env = synced(project, case["python_version"])
    for name in ("ENVIRONMENT", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        env.pop(name, None)
    cmd, healthcheck = dockerfile_commands(project)
    port = free_port()
    with database_url(case, project) as url:
        prod = {
            **env,
            "DATABASE_URL": url,
            "ENVIRONMENT": "production",
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": HOST,
            "LOG_FORMAT": "json",
        }
        run(["alembic", "upgrade", "head"], project, prod)
        manage = ["python", "-m", "hostile_probe.manage", "create-user", EMAIL]
        run(manage, project, {**prod, "NEW_USER_PASSWORD": PASSWORD})
        # A 3-character key is refused in production, naming the setting and the minimum.
        weak = subprocess.run(
            ["python", "-c", "import hostile_probe.main"],
            cwd=project,
            env={**prod, "SECRET_KEY": "abc"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert weak.returncode != 0
        assert "SECRET_KEY" in weak.stderr
        assert "32" in weak.stderr

        # The CMD's gunicorn binds to PORT. One worker: the login limiter counts in memory,
        # per process, unless RATE_LIMIT_STORAGE_URL names a shared store.
        server_env = {**prod, "PORT": str(port), "GUNICORN_WORKERS": "1"}
        with served(on_port(cmd, port), project, server_env, port):
            # The image's own HEALTHCHECK passes although only api.example.com is allowed.
            probe = subprocess.run(
                on_port(healthcheck, port), cwd=project, env=prod, timeout=30, check=False
            )
            assert probe.returncode == 0
            auth = credentials(case, port)
            schemathesis_finds_nothing(project, port, auth)
            bad_input_gets_4xx(case, port, auth)
            big_bodies_get_413(port, auth)
            websocket_attacks(case, project, prod, port, auth)
            login_guessing_is_limited(case, port)
            assert server_errors(project) == []
