"""Render templates/fastapi for every covering option combination and run the project's checks.

Each case runs the rendered project's own tests (with coverage), linters, type checker,
Alembic migrations and a boot under the production server (gunicorn with two uvicorn
workers, as the Dockerfile's CMD and the README run it), in the project's own environment
from its lock. The other tests check what the tree contains.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from email.message import Message
from pathlib import Path

import copier
import pytest
import yaml

from tests.support.generated import (
    REPO,
    assert_json_lines,
    dockerfile_commands,
    free_port,
    fresh_postgres_database,
    run,
    serving,
)
from tests.support.matrix import Case, case_id, covering_cases
from tests.support.metrics import check_metrics
from tests.support.project_env import ZIZMOR, synced
from tests.support.rendered import files, rel, render_template

TEMPLATE = REPO / "templates" / "fastapi"
CASES = covering_cases()
# Maps to a 30-character package, the longest the template accepts: long imports must
# still come out formatted.
PROJECT_NAME = "Fastapi Template Case Svc 1234"
PACKAGE = "fastapi_template_case_svc_1234"
DEFAULT_NAMES = ("my-service", "my_service")
VIRGINICA = {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2, "petal_width": 2.3}


def case_names(case: Case) -> tuple[str, str]:
    """A project name and its 30-character package, distinct for each covering case."""
    suffix = f"{CASES.index(case):02d}"
    return PROJECT_NAME[:-2] + suffix, PACKAGE[:-2] + suffix


def render(dest: Path, data: Mapping[str, object]) -> Path:
    return render_template(TEMPLATE, dest, data)


@contextmanager
def database_env(case: Case, project: Path) -> Iterator[dict[str, str]]:
    """DATABASE_URL for a fresh, empty database (a real server for postgres)."""
    if case["database"] == "postgres":
        with fresh_postgres_database() as url:
            yield {"DATABASE_URL": url, "TEST_DATABASE_URL": url}
    elif case["database"] == "sqlite":
        yield {"DATABASE_URL": f"sqlite:///{project / 'test.sqlite3'}"}
    else:
        yield {}


def request(
    url: str, body: Mapping[str, object] | None = None, headers: Mapping[str, str] | None = None
) -> tuple[int, object, Mapping[str, str]]:
    data = None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    req = urllib.request.Request(url, data=data, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read()), lowered(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null"), lowered(err.headers)


def lowered(headers: Message) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_rendered_project_passes_its_checks(case: Case, tmp_path: Path) -> None:
    secret = secrets.token_urlsafe(32)
    # One package name per case: mypy's shared cache must not mix two projects' modules
    # when xdist workers check them at the same time.
    name, package = case_names(case)
    project = render(
        tmp_path / "project",
        {**case, "project_name": name, "secret_key": secret, "db_password": "pw"},
    )
    with ExitStack() as stack:
        db_env = stack.enter_context(database_env(case, project))
        # The project's own environment, from its own lock, on the Python it asks for.
        env = {**synced(project, str(case["python_version"])), **db_env}
        for name in ("SECRET_KEY", "ENVIRONMENT", "OPENAPI_URL", "CORS_ORIGINS"):
            env.pop(name, None)

        # The documented entry point: lint, types, tests with coverage, migrations.
        run(["make", "check"], project, env)
        if case["ci"] == "github":
            run([*ZIZMOR, "--offline", "--no-progress", ".github"], project, env)

        prod = {**env, "ENVIRONMENT": "production", "SECRET_KEY": secret, "LOG_FORMAT": "json"}
        # Production refuses the placeholder secret at startup.
        weak = subprocess.run(
            ["python", "-c", f"import {package}.main"],
            cwd=project,
            env={**prod, "SECRET_KEY": "changethis"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert weak.returncode != 0
        assert "SECRET_KEY" in weak.stderr
        # ... and a short one, naming the setting and the minimum length.
        short = subprocess.run(
            ["python", "-c", f"import {package}.main"],
            cwd=project,
            env={**prod, "SECRET_KEY": "abc"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert short.returncode != 0
        assert "SECRET_KEY must be at least 32 characters" in short.stderr
        if case["api_docs"] == "yes":
            # OPENAPI_URL="" switches the docs off even though empty values are ignored.
            show = f"from {package}.main import app; print(app.openapi_url, app.docs_url)"
            hidden = run(["python", "-c", show], project, {**prod, "OPENAPI_URL": ""})
            assert hidden.stdout.split() == ["None", "None"]

        port = free_port()
        # The production server, as the image or the README runs it: gunicorn with uvicorn
        # workers, bound to PORT, settings from gunicorn.conf.py.
        server = ["gunicorn", f"{package}.main:app"]
        prod = {**prod, "PORT": str(port), "GUNICORN_WORKERS": "2"}
        if case["docker"]:
            assert dockerfile_commands(project)[0] == server
        elif case["observability"] != "none":
            # A metrics directory of the user's choosing (the README's variable); with
            # Docker, gunicorn.conf.py makes a fresh one.
            metrics_dir = tmp_path / "metrics"
            metrics_dir.mkdir()
            prod["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        server_log = tmp_path / "server.log"
        with serving(server, project, prod, port, output=server_log) as base:
            status, body, headers = request(f"{base}/healthz")
            assert (status, body) == (200, {"status": "ok"})
            assert headers["x-request-id"]
            assert headers["x-content-type-options"] == "nosniff"
            # HSTS only over HTTPS (RFC 6797): here, as a TLS proxy on loopback says it was.
            assert "strict-transport-security" not in headers
            _, _, via_tls = request(f"{base}/healthz", headers={"X-Forwarded-Proto": "https"})
            assert via_tls["strict-transport-security"].startswith("max-age=")
            status, body, _ = request(f"{base}/readyz")
            assert status == 200, body
            expected_checks = {
                **({"database": "ok"} if case["database"] != "none" else {}),
                **({"model": "ok"} if case["ml_serving"] == "yes" else {}),
            }
            assert body == {"status": "ok", "checks": expected_checks}
            status, body, _ = request(f"{base}/no/such/route")
            assert (status, body) == (404, {"detail": "Not Found"})
            status, spec, _ = request(f"{base}/openapi.json")
            assert status == (200 if case["api_docs"] == "yes" else 404)
            if status == 200:
                assert "/metrics" not in spec["paths"]  # type: ignore[index]
            # With auth on, writes and predictions need a login (the project's tests log in).
            anonymous = case["auth"] == "none"
            if case["database"] != "none":
                status, item, _ = request(f"{base}/api/v1/items", {"name": "smoke"})
                assert status == (201 if anonymous else 401), item
                _, page, _ = request(f"{base}/api/v1/items")
                assert page == {
                    "items": [item] if anonymous else [],
                    "total": 1 if anonymous else 0,
                    "limit": 50,
                    "offset": 0,
                }
            if case["ml_serving"] == "yes":
                status, prediction, _ = request(f"{base}/api/v1/predict", VIRGINICA)
                assert status == (200 if anonymous else 401), prediction
                if anonymous:
                    assert prediction["prediction"] == "virginica"  # type: ignore[index]
            if case["auth"] == "token":
                status, _, headers = request(f"{base}/api/v1/users/me")
                assert status == 401
                assert headers["www-authenticate"] == "Bearer"
            if case["observability"] != "none":
                check_metrics(base)
        # LOG_FORMAT=json: every line is JSON, gunicorn's own (the master's too) included.
        assert_json_lines(server_log)
        if case["database"] != "none":
            run(["alembic", "downgrade", "base"], project, env)


def expected_presence(case: Case) -> dict[str, bool]:
    pkg = f"src/{PACKAGE}"
    db = case["database"] != "none"
    html = case["interface"] != "api"
    ml = case["ml_serving"] == "yes"
    return {
        f"{pkg}/main.py": True,
        f"{pkg}/core/config.py": True,
        f"{pkg}/api/health.py": True,
        f"{pkg}/schemas/health.py": True,
        f"{pkg}/services/__init__.py": True,
        ".env": True,
        ".env.example": True,
        ".python-version": True,
        ".pre-commit-config.yaml": True,
        "Makefile": True,
        "gunicorn.conf.py": True,
        "README.md": True,
        "alembic.ini": db,
        "migrations/env.py": db,
        "migrations/script.py.mako": db,
        "migrations/versions/20260101_0001_initial.py": db,
        f"{pkg}/models/__init__.py": db,
        f"{pkg}/db/session.py": db,
        f"{pkg}/api/items.py": db,
        f"{pkg}/api/echo.py": case["interface"] != "html",
        f"{pkg}/schemas/echo.py": case["interface"] != "html",
        f"{pkg}/models/user.py": case["auth"] != "none",
        f"{pkg}/manage.py": case["auth"] != "none",
        f"{pkg}/api/auth.py": case["auth"] == "token",
        f"{pkg}/web/session_auth.py": case["auth"] == "session",
        f"{pkg}/templates/login.html": case["auth"] == "session",
        f"{pkg}/templates/base.html": html,
        f"{pkg}/templates/index.html": html,
        f"{pkg}/static/style.css": html,
        f"{pkg}/web/pages.py": html,
        f"{pkg}/ml/model.json": ml,
        f"{pkg}/api/predict.py": ml,
        "data/iris.csv": ml,
        "scripts/train_model.py": ml,
        f"{pkg}/api/ws.py": case["realtime"] == "yes",
        f"{pkg}/services/fanout.py": case["async_io"] == "yes",
        "Dockerfile": bool(case["docker"]),
        ".dockerignore": bool(case["docker"]),
        "compose.yaml": bool(case["docker"]) and "compose" in str(case["deploy"]),
        "compose.override.yaml": bool(case["docker"]) and "compose" in str(case["deploy"]),
        ".github/workflows/ci.yml": case["ci"] == "github",
        ".github/dependabot.yml": case["ci"] == "github",
        ".gitlab-ci.yml": case["ci"] == "gitlab",
        f"{pkg}/core/metrics.py": case["observability"] != "none",
        f"{pkg}/core/reporting.py": case["observability"] != "none",
        f"{pkg}/core/tracing.py": case["observability"] == "otel",
        "tests/test_metrics.py": case["observability"] != "none",
        "tests/test_tracing.py": case["observability"] == "otel",
        # fwpick writes the decision record itself.
        "docs/adr/0001-web-framework.md": False,
    }


# The project's own Jinja pages legitimately contain template syntax.
RESIDUE_EXEMPT = re.compile(r"^src/[a-z0-9_]+/templates/.*\.html$")
LEGACY_HOOKS = re.compile(r"on_event|on_startup|on_shutdown")


def test_no_residue_and_no_disabled_feature_files(tmp_path: Path) -> None:
    for i, case in enumerate(CASES):
        project = render(tmp_path / f"c{i}", {**case, "project_name": PROJECT_NAME})
        present = rel(project)
        for expected, wanted in expected_presence(case).items():
            assert (expected in present) == wanted, (case_id(case), expected)
        if case["database"] == "none":
            assert not any(p.startswith(("migrations/", f"src/{PACKAGE}/models/")) for p in present)
        for path in files(project):
            name = path.relative_to(project).as_posix()
            text = path.read_text(encoding="utf-8")
            for default in DEFAULT_NAMES:
                assert default not in text, (case_id(case), name, default)
            if name.startswith("src/"):
                assert not LEGACY_HOOKS.search(text), (case_id(case), name)
            if RESIDUE_EXEMPT.search(name):
                continue
            text = text.replace("${{", "")  # GitHub Actions expressions
            assert "{{" not in text, (case_id(case), name)
            assert "{%" not in text, (case_id(case), name)
            assert "{#" not in text, (case_id(case), name)
        pyproject = tomllib.loads((project / "pyproject.toml").read_text())
        assert pyproject["tool"]["fastapi"]["entrypoint"] == f"{PACKAGE}.main:app"
        for name in present:
            if name.endswith((".yml", ".yaml")):
                assert isinstance(yaml.safe_load((project / name).read_text()), dict), name


def test_defaults_render_standalone(tmp_path: Path) -> None:
    # The equivalent of `copier copy --defaults templates/fastapi OUT`.
    dest = tmp_path / "out"
    copier.run_copy(str(TEMPLATE), str(dest), defaults=True, quiet=True)
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "my-service"
    assert answers["package_name"] == "my_service"
    assert answers["interface"] == "api"
    assert answers["database"] == "sqlite"
    assert answers["_src_path"]
    assert "_commit" not in answers  # rendered from the working tree, not a git ref
    assert "secret_key" not in answers
    assert "db_password" not in answers
    assert "SECRET_KEY=changethis" in (dest / ".env").read_text()
    pyproject = tomllib.loads((dest / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.12"
    assert pyproject["tool"]["ruff"]["target-version"] == "py312"
    assert pyproject["tool"]["pytest"]["ini_options"]["pythonpath"] == ["src"]
    assert pyproject["tool"]["mypy"]["strict"] is True
    assert "httpx2>=2.16.2,<3" in pyproject["dependency-groups"]["dev"]
    assert (dest / ".python-version").read_text().strip() == "3.12"
    assert ".env" in (dest / ".gitignore").read_text().splitlines()
    assert {".git", ".venv", ".env"} <= set((dest / ".dockerignore").read_text().splitlines())
    assert (dest / "alembic.ini").is_file()
    assert (dest / "src" / "my_service" / "main.py").is_file()
    copier_yml = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    assert copier_yml["_min_copier_version"] == "9.17.2"
    assert "_tasks" not in copier_yml


NASTY = "Ünïcødé \"quoted\" 'single' back\\slash {{ boom }} {% if x %} ${{ gh }} <b>&\nsecond line"


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_free_text_lands_literally(tmp_path: Path, ci: str) -> None:
    data = {
        "project_name": NASTY,
        "package_name": "nasty_app",
        "description": NASTY,
        "author": NASTY,
        "ci": ci,
        "database": "postgres" if ci == "github" else "sqlite",
        "interface": "both",
        "docker": True,
    }
    project = render(tmp_path / "p", data)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == NASTY
    assert pyproject["project"]["authors"] == [{"name": NASTY}]
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["project_name"] == NASTY
    assert answers["description"] == NASTY
    for name in rel(project):
        if name.endswith((".yml", ".yaml")):
            assert isinstance(yaml.safe_load((project / name).read_text()), dict), name
    readme = (project / "README.md").read_text()
    assert "{{ boom }}" in readme
    assert readme.startswith("# Ünïcødé")
    env = {**synced(project, "3.12"), "SECRET_KEY": "x" * 32}
    check = "from nasty_app.core.config import Settings; print(Settings().PROJECT_NAME, end='')"
    out = run(["python", "-c", check], project, env).stdout
    assert out == NASTY
    run(["ruff", "check", "."], project, env)
    run(["ruff", "format", "--check", "."], project, env)
    if ci == "gitlab":  # one full run: the home page escapes the name
        run(["make", "test"], project, env)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"auth": "token", "database": "none"}, "needs a database"),
        ({"auth": "session", "database": "none", "interface": "html"}, "needs a database"),
        ({"auth": "session", "interface": "api"}, "needs interface"),
        ({"package_name": "Not-An-Identifier"}, "identifier"),
        ({"package_name": "fastapi"}, "clashes"),
        ({"package_name": "logging"}, "clashes"),
        ({"package_name": "a" * 31}, "at most 30"),
        ({"project_name": "  "}, "must not be empty"),
    ],
)
def test_forbidden_answers_are_rejected(tmp_path: Path, data: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render(tmp_path / "p", data)
    assert not (tmp_path / "p" / "pyproject.toml").exists()


def test_copier_questions_match_the_contract() -> None:
    questions = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    expected = {
        "python_version": (["3.11", "3.12", "3.13"], "3.12"),
        "database": (["none", "sqlite", "postgres"], "sqlite"),
        "ci": (["github", "gitlab", "none"], "github"),
        "interface": (["api", "html", "both"], "api"),
        "auth": (["none", "session", "token"], "none"),
        "ml_serving": (["yes", "no"], "no"),
        "realtime": (["yes", "no"], "no"),
        "api_docs": (["yes", "no"], "yes"),
        "async_io": (["yes", "no"], "no"),
    }
    for name, (choices, default) in expected.items():
        assert questions[name]["type"] == "str", name
        assert questions[name]["choices"] == choices, name
        assert questions[name]["default"] == default, name
    assert questions["docker"] == {**questions["docker"], "type": "bool", "default": True}
    for name, default in [("project_name", "my-service"), ("description", "A web service.")]:
        assert questions[name]["default"] == default
    for name in ("author", "fwpick_version", "rules_version"):
        assert questions[name]["default"] == ""
    for name in ("secret_key", "db_password"):
        assert questions[name]["secret"] is True
        assert questions[name]["default"] == ""
