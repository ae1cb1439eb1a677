"""Render templates/flask for every covering option combination and run the project's checks.

Each case runs the rendered project's own tests, linters, type checker, migrations and a
gunicorn boot with the shared environment from ``tests/support/generated.py``.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import yaml

from tests.support.generated import (
    REPO,
    assert_json_lines,
    free_port,
    fresh_postgres_database,
    run,
    serving,
)
from tests.support.matrix import Case, case_id, covering_cases
from tests.support.metrics import check_metrics
from tests.support.project_env import synced
from tests.support.rendered import files, rel, render_template

TEMPLATE = REPO / "templates" / "flask"
CASES = covering_cases()
# 30 characters, the longest package name the template accepts: long imports must still
# come out formatted.
PROJECT_NAME = "Flask Template Case Service XY"
PACKAGE = "flask_template_case_service_xy"
DEFAULT_NAMES = ("my-service", "my_service")


def render(dest: Path, data: Mapping[str, object]) -> Path:
    return render_template(TEMPLATE, dest, data)


@contextmanager
def database_urls(case: Case, project: Path) -> Iterator[dict[str, str]]:
    """Environment variables pointing the project at a fresh, empty database."""
    if case["database"] == "postgres":
        with fresh_postgres_database() as url:
            yield {"DATABASE_URL": url, "TEST_DATABASE_URL": url}
    elif case["database"] == "sqlite":
        yield {"DATABASE_URL": f"sqlite:///{project / 'instance-test.sqlite3'}"}
    else:
        yield {}


def get_json(
    url: str, headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, object], Mapping[str, str]]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={**(headers or {})}), timeout=5
        ) as resp:
            return resp.status, json.loads(resp.read()), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), dict(err.headers)


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_rendered_project_passes_its_checks(case: Case, tmp_path: Path) -> None:
    secret = secrets.token_urlsafe(32)
    project = render(
        tmp_path / "project",
        {**case, "project_name": PROJECT_NAME, "secret_key": secret, "db_password": "pw"},
    )
    check_files(case, project)
    with ExitStack() as stack:
        db_env = stack.enter_context(database_urls(case, project))
        # The project's own environment, from its own lock, on the Python it asks for.
        env = {**synced(project, str(case["python_version"])), **db_env}
        for name in ("ENVIRONMENT", "SECRET_KEY", "ALLOWED_HOSTS", "LOG_LEVEL", "LOG_FORMAT"):
            env.pop(name, None)

        # The documented entry point: lint, types, tests with coverage, config check.
        run(["make", "check"], project, env)

        prod = {
            **env,
            "ENVIRONMENT": "production",
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_FORMAT": "json",
        }
        app_spec = f"{PACKAGE}:create_app()"
        run(["gunicorn", "--check-config", app_spec], project, prod)
        # The production config refuses the placeholder secret.
        weak = subprocess.run(
            ["gunicorn", "--check-config", app_spec],
            cwd=project,
            env={**prod, "SECRET_KEY": "changethis"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert weak.returncode != 0
        assert "SECRET_KEY" in weak.stdout + weak.stderr

        if case["database"] != "none":
            flask = ["flask", "--app", PACKAGE, "db"]
            run([*flask, "upgrade"], project, env)
            run([*flask, "check"], project, env)
            run([*flask, "downgrade", "base"], project, env)
            run([*flask, "upgrade"], project, env)
            run(["flask", "--app", PACKAGE, PACKAGE, "seed"], project, env)
        run(["flask", "--app", PACKAGE, "routes"], project, env)

        port = free_port()
        access_log = project / "access.log"
        server = [
            *["gunicorn", app_spec, "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            *["--access-logfile", str(access_log)],
        ]
        server_log = tmp_path / "server.log"
        with serving(server, project, prod, port, output=server_log) as base:
            status, body, headers = get_json(f"{base}/healthz")
            assert (status, body) == (200, {"status": "ok"})
            assert headers["X-Content-Type-Options"] == "nosniff"
            # HSTS only over HTTPS (RFC 6797): here, as a TLS proxy on loopback says it was.
            assert "Strict-Transport-Security" not in headers
            _, _, via_tls = get_json(f"{base}/healthz", {"X-Forwarded-Proto": "https"})
            assert via_tls["Strict-Transport-Security"].startswith("max-age=")
            assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
            # No session cookie in, none out: probes do no session work.
            assert "Set-Cookie" not in headers
            assert "Cookie" not in headers.get("Vary", "")
            status, body, _ = get_json(f"{base}/readyz")
            assert status == 200, body
            if case["database"] != "none":
                assert body["checks"] == {
                    "database": "ok",
                    **({"model": "ok"} if case["ml_serving"] == "yes" else {}),
                }
            if case["ml_serving"] == "yes":
                request = urllib.request.Request(
                    f"{base}/api/v1/predict",
                    data=json.dumps(
                        {
                            "sepal_length": 6.7,
                            "sepal_width": 3.0,
                            "petal_length": 5.2,
                            "petal_width": 2.3,
                        }
                    ).encode(),
                    headers={"Content-Type": "application/json"},
                )
                if case["auth"] != "none":
                    # With auth on, predicting is a write: it needs a login first.
                    with pytest.raises(urllib.error.HTTPError) as refused:
                        urllib.request.urlopen(request, timeout=5)
                    assert refused.value.code == 401
                else:
                    with urllib.request.urlopen(request, timeout=5) as resp:
                        prediction = json.loads(resp.read())
                    assert prediction["prediction"] == "virginica"
                    assert prediction["model_version"]
            if case["api_docs"] == "yes":
                status, spec, _ = get_json(f"{base}/openapi.json")
                assert status == 200
                assert "/healthz" in spec["paths"]  # type: ignore[operator]
            if case["observability"] != "none":
                check_metrics(base, access_log)
        # LOG_FORMAT=json: every line is JSON, gunicorn's own (the master's too) included.
        assert_json_lines(server_log, access_log)


def expected_presence(case: Case) -> dict[str, bool]:
    pkg = f"src/{PACKAGE}"
    db = case["database"] != "none"
    html = case["interface"] != "api"
    return {
        "migrations/env.py": db,
        "migrations/alembic.ini": db,
        f"{pkg}/models.py": db,
        "Dockerfile": bool(case["docker"]),
        ".dockerignore": bool(case["docker"]),
        "compose.yaml": bool(case["docker"]) and "compose" in str(case["deploy"]),
        ".github/workflows/ci.yml": case["ci"] == "github",
        ".github/dependabot.yml": case["ci"] == "github",
        ".gitlab-ci.yml": case["ci"] == "gitlab",
        f"{pkg}/templates/base.html": html,
        f"{pkg}/templates/errors/404.html": html,
        f"{pkg}/templates/errors/500.html": html,
        f"{pkg}/static/css/style.css": html,
        f"{pkg}/forms.py": html,
        f"{pkg}/api.py": case["interface"] != "html",
        f"{pkg}/auth.py": case["auth"] != "none",
        f"{pkg}/templates/auth/login.html": case["auth"] == "session",
        f"{pkg}/ml/model.json": case["ml_serving"] == "yes",
        "data/iris.csv": case["ml_serving"] == "yes",
        f"{pkg}/realtime.py": case["realtime"] == "yes",
        f"{pkg}/aggregate.py": case["async_io"] == "yes",
        f"{pkg}/services/fanout.py": case["async_io"] == "yes",
        # The OpenAPI document is generated from schemas.py and the views (flask-smorest).
        f"{pkg}/openapi.py": False,
        f"{pkg}/schemas.py": True,
        f"{pkg}/throttle.py": case["auth"] != "none",
        "docs/adr/0001-web-framework.md": False,
        f"{pkg}/metrics.py": case["observability"] != "none",
        f"{pkg}/reporting.py": case["observability"] != "none",
        f"{pkg}/tracing.py": case["observability"] == "otel",
        "tests/test_metrics.py": case["observability"] != "none",
        "tests/test_tracing.py": case["observability"] == "otel",
        "deploy/k8s/base/deployment.yaml": "kubernetes" in str(case["deploy"]),
        "deploy/k8s/base/migrate-job.yaml": "kubernetes" in str(case["deploy"]) and db,
        "deploy/k8s/overlays/production/kustomization.yaml": "kubernetes" in str(case["deploy"]),
    }


# Flask's own Jinja pages and GitHub expressions legitimately contain braces.
RESIDUE_EXEMPT = re.compile(r"(^|/)templates/.*\.html$")


def check_files(case: Case, project: Path) -> None:
    """No leftover template syntax or default name, and files iff their feature is on."""
    present = rel(project)
    for expected, wanted in expected_presence(case).items():
        assert (expected in present) == wanted, (case_id(case), expected)
    for path in files(project):
        name = path.relative_to(project).as_posix()
        text = path.read_text(encoding="utf-8")
        for default in DEFAULT_NAMES:
            assert default not in text, (name, default)
        assert "FLASK_ENV" not in text, name
        if RESIDUE_EXEMPT.search(name):
            continue
        text = text.replace("${{", "")  # GitHub Actions expressions
        assert "{{" not in text, name
        assert "{%" not in text, name
    flaskenv = (project / ".flaskenv").read_text().strip().splitlines()
    assert flaskenv == [f"FLASK_APP={PACKAGE}"]


def test_defaults_render_standalone(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--defaults", "--quiet", str(TEMPLATE), str(dest)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "my-service"
    assert answers["package_name"] == "my_service"
    assert answers["interface"] == "html"
    assert answers["database"] == "sqlite"
    assert answers["_src_path"]
    assert "_commit" not in answers  # rendered from the working tree, not a git ref
    assert "secret_key" not in answers
    assert "db_password" not in answers
    assert "SECRET_KEY=changethis" in (dest / ".env").read_text()
    assert (dest / "src" / "my_service" / "__init__.py").is_file()
    pyproject = tomllib.loads((dest / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.12"
    assert pyproject["tool"]["ruff"]["target-version"] == "py312"
    assert pyproject["tool"]["pytest"]["ini_options"]["pythonpath"] == ["src"]
    assert (dest / ".python-version").read_text().strip() == "3.12"
    assert ".env" in (dest / ".gitignore").read_text().splitlines()
    copier_yml = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    assert copier_yml["_min_copier_version"] == "9.17.2"
    assert "_tasks" not in copier_yml


def test_secrets_only_in_dotenv(tmp_path: Path) -> None:
    key, password = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    project = render(
        tmp_path / "p",
        {"database": "postgres", "secret_key": key, "db_password": password, "docker": True},
    )
    env_file = (project / ".env").read_text()
    assert f"SECRET_KEY={key}" in env_file
    assert f"POSTGRES_PASSWORD={password}" in env_file
    for path in files(project):
        if path.name != ".env":
            text = path.read_text(encoding="utf-8")
            assert key not in text, path
            assert password not in text, path
    example = (project / ".env.example").read_text()
    assert "SECRET_KEY=changethis" in example


NASTY = "Ünïcødé \"quoted\" 'single' back\\slash {{ boom }} {% if x %} ${{ gh }}\nsecond line"


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_free_text_lands_literally(tmp_path: Path, ci: str) -> None:
    data = {
        "project_name": NASTY,
        "package_name": "nasty_app",
        "description": NASTY,
        "author": NASTY,
        "ci": ci,
        "database": "postgres",
        "docker": True,
    }
    project = render(tmp_path / "p", data)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == NASTY
    assert pyproject["project"]["authors"] == [{"name": NASTY}]
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["project_name"] == NASTY
    for name in (
        "compose.yaml",
        "compose.override.yaml",
        ".pre-commit-config.yaml",
        ".github/workflows/ci.yml",
        ".github/dependabot.yml",
        ".gitlab-ci.yml",
    ):
        if (project / name).exists():
            assert isinstance(yaml.safe_load((project / name).read_text()), dict), name
    readme = (project / "README.md").read_text()
    assert "{{ boom }}" in readme
    assert readme.startswith("# Ünïcødé")
    env = synced(project, "3.12")
    check = "from nasty_app.config import BaseConfig; print(BaseConfig.PROJECT_NAME, end='')"
    out = run(["python", "-c", check], project, env).stdout
    assert out == NASTY
    run(["ruff", "check", "."], project, env)
    run(["ruff", "format", "--check", "."], project, env)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"auth": "token", "database": "none"}, "needs a database"),
        ({"auth": "session", "interface": "api"}, "session auth needs"),
        ({"package_name": "Not-An-Identifier"}, "identifier"),
        ({"package_name": "flask"}, "clashes"),
    ],
)
def test_forbidden_answers_are_rejected(tmp_path: Path, data: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render(tmp_path / "p", data)
    assert not (tmp_path / "p" / "pyproject.toml").exists()


def test_copier_questions_match_the_contract() -> None:
    questions = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    expected = {
        "python_version": ["3.11", "3.12", "3.13"],
        "database": ["none", "sqlite", "postgres"],
        "ci": ["github", "gitlab", "none"],
        "interface": ["api", "html", "both"],
        "auth": ["none", "session", "token"],
        "ml_serving": ["yes", "no"],
        "realtime": ["yes", "no"],
        "api_docs": ["yes", "no"],
        "async_io": ["yes", "no"],
    }
    for name, choices in expected.items():
        assert questions[name]["choices"] == choices, name
    assert questions["docker"]["type"] == "bool"
    assert questions["interface"]["default"] == "html"
    for name in ("secret_key", "db_password"):
        assert questions[name]["secret"] is True
        assert questions[name]["default"] == ""
