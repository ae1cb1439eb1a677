"""Attack generated Flask projects from outside, as a hostile client would.

Each project gets its own locked environment (``tests/support/project_env.py``), is
migrated, gets one user, and is served in production mode by its own gunicorn. Then:
refused and malformed ``Host`` headers, the Docker ``HEALTHCHECK`` command, wrong methods,
oversized and non-finite input, login guessing, and a bounded Schemathesis run against the
generated OpenAPI document, which must find nothing.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.support.generated import REPO, free_port, fresh_postgres_database, serving
from tests.support.project_env import synced
from tests.support.rendered import render_template

TEMPLATE = REPO / "templates" / "flask"
PACKAGE = "hostile_svc"
EMAIL = "ada@example.com"
PASSWORD = "correct horse battery staple"
ALLOWED = "api.example.com"
CASES = {
    "api-token-ml-sqlite": {
        "interface": "api",
        "auth": "token",
        "ml_serving": "yes",
        "database": "sqlite",
        "realtime": "yes",
        # The async view runs under gunicorn's threads too.
        "async_io": "yes",
        "python_version": "3.12",
    },
    "html-session-sqlite": {
        "interface": "html",
        "auth": "session",
        "database": "sqlite",
        "python_version": "3.11",
    },
    "both-session-postgres": {
        "interface": "both",
        "auth": "session",
        "database": "postgres",
        "ml_serving": "yes",
        "python_version": "3.13",
    },
}


@dataclass
class Served:
    case: dict[str, str]
    project: Path
    env: dict[str, str]
    port: int

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_host=True)
            sent = {"Host": ALLOWED, **(headers or {})}
            if body is not None:
                sent.setdefault("Content-Type", "application/json")
                sent["Content-Length"] = str(len(body))
            for name, value in sent.items():
                conn.putheader(name, value)
            conn.endheaders(body)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


def flask(served_env: dict[str, str], project: Path, *args: str) -> None:
    proc = subprocess.run(
        ["flask", "--app", PACKAGE, *args],
        cwd=project,
        env=served_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@contextmanager
def serve(name: str, root: Path) -> Iterator[Served]:
    case = CASES[name]
    project = render_template(
        TEMPLATE,
        root / "project",
        {**case, "project_name": "Hostile Svc", "secret_key": secrets.token_urlsafe(32)},
    )
    env = synced(project, case["python_version"])
    with ExitStack() as stack:
        if case["database"] == "postgres":
            url = stack.enter_context(fresh_postgres_database())
        else:
            url = f"sqlite:///{root / 'db.sqlite3'}"
        port = free_port()
        env = {
            **env,
            "ENVIRONMENT": "production",
            "SECRET_KEY": secrets.token_urlsafe(32),
            # The allowed host plus the loopback name the test server is reached on.
            "ALLOWED_HOSTS": f"{ALLOWED},127.0.0.1",
            "DATABASE_URL": url,
            "PORT": str(port),
            "GUNICORN_WORKERS": "1",
            "LOG_LEVEL": "WARNING",
            # Short event streams: a fuzzer's request must not hold a thread for minutes.
            "EVENTS_INTERVAL_SECONDS": "0",
            "EVENTS_MAX": "2",
            # One worker that is never recycled: with a single worker, a recycle leaves nobody
            # accepting until the old one has drained.
            "GUNICORN_MAX_REQUESTS": "0",
        }
        flask(env, project, "db", "upgrade")
        flask(env, project, PACKAGE, "create-user", EMAIL, "--password", PASSWORD)
        # As the image's CMD starts it (gunicorn.conf.py binds to PORT).
        stack.enter_context(serving(["gunicorn", f"{PACKAGE}:create_app()"], project, env, port))
        yield Served(case, project, env, port)


def healthcheck_command(project: Path) -> list[str]:
    text = (project / "Dockerfile").read_text(encoding="utf-8")
    match = re.search(r"^HEALTHCHECK .*? CMD (\[.*\])$", text, flags=re.M)
    assert match, "the HEALTHCHECK is one line with an exec-form CMD"
    command: list[str] = json.loads(match.group(1))
    return command


def check_docker_healthcheck_passes_with_production_hosts(served: Served) -> None:
    command = healthcheck_command(served.project)
    env = {**served.env, "ALLOWED_HOSTS": ALLOWED}
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=10)
    assert proc.returncode == 0, proc.stderr


def check_a_refused_host_gets_400_with_headers(served: Served) -> None:
    for host in ("evil.example", "api.example.com.evil.example", "", "a b"):
        for path in ("/", "/healthz", "/no-such-page"):
            check_refused(served, host, path)


def check_refused(served: Served, host: str, path: str) -> None:
    status, headers, _ = served.request(
        "GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    assert status == 400, (host, path)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" in headers
    assert headers["X-Request-ID"]


def check_probes_on_loopback_but_nothing_else(served: Served) -> None:
    assert served.request("GET", "/healthz", headers={"Host": "localhost"})[0] == 200
    assert served.request("GET", "/", headers={"Host": "localhost"})[0] == 400


def check_wrong_method_is_405_with_allow(served: Served) -> None:
    status, headers, _ = served.request("PUT", "/healthz")
    assert status == 405
    assert "GET" in headers["Allow"]


def check_oversized_body_is_413(served: Served) -> None:
    path = "/api/v1/echo" if served.case["interface"] != "html" else "/auth/login"
    body = b'{"message": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    status, _, _ = served.request("POST", path, body=body)
    assert status == 413


def check_out_of_range_input_is_4xx(served: Served) -> None:
    if served.case["interface"] != "html":
        for bad in ("/api/v1/items/99999999999999999999999", f"/api/v1/items/{2**31}"):
            assert served.request("GET", bad)[0] == 404
        assert served.request("GET", "/api/v1/items?offset=1e400")[0] == 422
        assert served.request("GET", "/api/v1/items?limit=1000")[0] == 422
    if served.case.get("async_io") == "yes":
        assert served.request("GET", "/api/v1/aggregate?delay=0")[0] == 200
        for delay in ("inf", "NaN", "1e400", "2"):
            assert served.request("GET", f"/api/v1/aggregate?delay={delay}")[0] == 422, delay
    if served.case.get("ml_serving") == "yes":
        token = login(served)
        for number in ("1e400", "NaN", "Infinity"):
            body = (
                '{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, '
                f'"petal_width": {number}}}'
            ).encode()
            assert served.request("POST", "/api/v1/predict", body=body, headers=token)[0] == 422


def login(served: Served) -> dict[str, str]:
    """Credential headers for the user: a bearer token or a session cookie."""
    if served.case["auth"] == "token":
        body = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
        status, headers, data = served.request("POST", "/api/v1/auth/token", body=body)
        assert status == 200, data
        assert headers["Cache-Control"] == "no-store"
        return {"Authorization": f"Bearer {json.loads(data)['access_token']}"}
    # Session login through the real form, CSRF token included.
    status, headers, _ = post_login_form(served, EMAIL, PASSWORD)
    assert status in (302, 303)
    return {"Cookie": headers["Set-Cookie"].split(";", 1)[0]}


def post_login_form(served: Served, email: str, password: str) -> tuple[int, dict[str, str], bytes]:
    _, headers, page = served.request("GET", "/auth/login")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, page[:500]
    form = urlencode({"csrf_token": token.group(1).decode(), "email": email, "password": password})
    return served.request(
        "POST",
        "/auth/login",
        body=form.encode(),
        headers={
            "Cookie": headers["Set-Cookie"].split(";", 1)[0],
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )


def check_the_openapi_document_holds_up_under_schemathesis(served: Served, tmp_path: Path) -> None:
    st = shutil.which("st") or shutil.which("schemathesis")
    assert st, "schemathesis is a test dependency"
    credentials = login(served)
    # Credentials through the documented security scheme, so Schemathesis also knows how to
    # leave them out (a raw header would be sent even where it tests "no credentials").
    if served.case["auth"] == "token":
        scheme, key = "bearer", credentials["Authorization"].removeprefix("Bearer ")
        setting = f"bearer = {json.dumps(key)}"
    else:
        scheme, key = "session", credentials["Cookie"].split("=", 1)[1]
        setting = f"api_key = {json.dumps(key)}"
    config = tmp_path / "schemathesis.toml"
    config.write_text(f"[auth.openapi.{scheme}]\n{setting}\n", encoding="utf-8")
    args = [
        st,
        "--config-file",
        str(config),
        "run",
        f"http://127.0.0.1:{served.port}/openapi.json",
        "--checks",
        "all",
        "--seed",
        "1",
        "--max-examples",
        "15",
        "--workers",
        "1",
        "--no-color",
        "--request-timeout",
        "5",
        "--report-dir",
        str(tmp_path),
    ]
    if served.case["auth"] == "token":
        # Logging out revokes the credentials the rest of the run uses.
        args += ["--exclude-path", "/api/v1/auth/logout"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-12000:]


def check_failed_logins_end_in_429_with_retry_after(served: Served) -> None:
    # Last in the module: it exhausts the test client's address.
    statuses = []
    headers: dict[str, str] = {}
    for _ in range(7):
        if served.case["auth"] == "token":
            body = json.dumps({"email": "nobody@example.com", "password": "guess"}).encode()
            status, headers, _ = served.request("POST", "/api/v1/auth/token", body=body)
        else:
            status, headers, _ = post_login_form(served, "nobody@example.com", "guess")
        statuses.append(status)
    assert statuses[-1] == 429, statuses
    assert int(headers["Retry-After"]) > 0


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_client_gets_nowhere(name: str, tmp_path: Path) -> None:
    # One test per project, so parallel workers never build the same project twice.
    with serve(name, tmp_path) as served:
        check_docker_healthcheck_passes_with_production_hosts(served)
        check_a_refused_host_gets_400_with_headers(served)
        check_probes_on_loopback_but_nothing_else(served)
        check_wrong_method_is_405_with_allow(served)
        check_oversized_body_is_413(served)
        check_out_of_range_input_is_4xx(served)
        check_the_openapi_document_holds_up_under_schemathesis(served, tmp_path)
        # Last: it uses up this client address's failed logins.
        check_failed_logins_end_in_429_with_retry_after(served)
