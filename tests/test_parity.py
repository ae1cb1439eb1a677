"""The FastAPI and Flask projects are equivalent for every option, through one pipeline.

Where a choice means something different in Flask, the file names may differ, but each
project has the same kinds of files, settings, make targets, README sections and tests.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scaffolder.cli import main

from .support.generated import run
from .support.matrix import Case, case_id, covering_cases
from .support.project_env import synced

FRAMEWORKS = ("fastapi", "flask")
README_SECTIONS = (
    "Quick start",
    "Layout",
    "Configuration",
    "Endpoints",
    "Authentication",
    "Database migrations",
    "The model",
    "Real-time",
    "Development",
    "Docker",
    "Deployment",
    "Decision record",
)
CONFIG_MODULE = {"fastapi": "core/config.py", "flask": "config.py"}
FRAMEWORK_ONLY_TOP_LEVEL = {"fastapi": {"alembic.ini"}, "flask": {".flaskenv"}}


def render(tmp_path: Path, framework: str, case: Case) -> Path:
    dest = tmp_path / framework
    args = ["new", str(dest), "--yes", "--no-git", "--no-lock", "--framework", framework]
    args += ["--name", "parity-svc"]
    for key, value in case.items():
        flag = "--python" if key == "python_version" else f"--{key.replace('_', '-')}"
        if isinstance(value, bool):
            args.append(flag if value else f"--no-{flag[2:]}")
        else:
            args += [flag, str(value)]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(args) == 0
    return dest


def env_values(project: Path) -> dict[str, str]:
    lines = (project / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = (ln.split("=", 1) for ln in lines if "=" in ln and not ln.startswith("#"))
    return {key.strip(): value.strip().strip("\"'") for key, value in pairs}


def env_keys(project: Path) -> set[str]:
    return set(env_values(project))


def make_targets(project: Path) -> set[str]:
    text = (project / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.M))


def readme_sections(project: Path) -> list[str]:
    text = (project / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^## (.+?)\s*$", text, flags=re.M)


def all_tests_text(project: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (project / "tests").rglob("*.py"))


METRIC = re.compile(r'\b(Counter|Gauge|Histogram)\(\s*"(\w+)",[^\[]*\[([^\]]*)\]')


def declared_metrics(project: Path) -> set[tuple[str, str, str]]:
    """(kind, name, labels) of every Prometheus metric the app's code declares."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (project / "src").rglob("*.py"))
    return {(kind, name, re.sub(r"\s", "", labels)) for kind, name, labels in METRIC.findall(text)}


def top_level(project: Path, framework: str) -> set[str]:
    return {p.name for p in project.iterdir()} - FRAMEWORK_ONLY_TOP_LEVEL[framework]


@pytest.mark.parametrize("case", covering_cases(), ids=case_id)
def test_both_templates_give_equivalent_projects(tmp_path: Path, case: Case) -> None:
    projects = {fw: render(tmp_path, fw, case) for fw in FRAMEWORKS}
    db, docker, ci = case["database"], case["docker"], case["ci"]
    ml, realtime, auth = case["ml_serving"] == "yes", case["realtime"] == "yes", case["auth"]

    wanted = {
        "Authentication": auth != "none",
        "Database migrations": db != "none",
        "The model": ml,
        "Real-time": realtime,
        "Docker": docker,
    }
    # Both READMEs have exactly these sections, in this order.
    expected_sections = [s for s in README_SECTIONS if wanted.get(s, True)]
    expected_env = {
        "ENVIRONMENT",
        "SECRET_KEY",
        "LOG_LEVEL",
        "LOG_FORMAT",
        "ALLOWED_HOSTS",
        "CORS_ORIGINS",
    }
    expected_env |= {"DATABASE_URL"} if db != "none" else set()
    expected_env |= (
        {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} if db == "postgres" else set()
    )
    expected_env |= {"MODEL_PATH"} if ml else set()
    observed = case["observability"] != "none"
    expected_env |= {"SENTRY_DSN"} if observed else set()
    # The hostile-client limits: same names and same defaults on both frameworks.
    limits = {"MAX_REQUEST_BYTES"} | (
        {"LOGIN_RATE_LIMIT", "RATE_LIMIT_STORAGE_URL"} if auth != "none" else set()
    )
    expected_env |= limits
    expected_targets = {
        "install",
        "dev",
        "lint",
        "format",
        "typecheck",
        "test",
        "docker-build",
        "security",
        "check",
    } | ({"migrate"} if db != "none" else set())

    defaults = {fw: {k: env_values(p)[k] for k in limits} for fw, p in projects.items()}
    assert defaults["fastapi"] == defaults["flask"], defaults
    for framework, project in projects.items():
        where = f"{framework} ({case_id(case)})"
        package = project / "src" / "parity_svc"
        assert (package / CONFIG_MODULE[framework]).is_file(), where
        assert (project / "docs/adr/0001-web-framework.md").is_file(), where
        assert (project / "tests" / "conftest.py").is_file(), where
        assert readme_sections(project) == expected_sections, where
        assert expected_env <= env_keys(project), where
        assert expected_targets <= make_targets(project), where
        assert (project / "Dockerfile").is_file() == docker, where
        assert (project / ".dockerignore").is_file() == docker, where
        assert (project / "compose.yaml").is_file() == docker, where
        if docker:
            compose = yaml.safe_load((project / "compose.yaml").read_text(encoding="utf-8"))
            assert ("db" in compose["services"]) == (db == "postgres"), where
        workflow = project / ".github/workflows/ci.yml"
        assert workflow.is_file() == (ci == "github"), where
        assert (project / ".gitlab-ci.yml").is_file() == (ci == "gitlab"), where
        if ci == "github":
            assert ("postgres" in workflow.read_text(encoding="utf-8")) == (db == "postgres")
        assert (project / "migrations").is_dir() == (db != "none"), where
        tests = all_tests_text(project)
        assert "/healthz" in tests and "/readyz" in tests, where
        assert ("/predict" in tests) == ml, where
        assert ("http_requests_total" in tests) == observed, where
        assert ("InMemorySpanExporter" in tests) == (case["observability"] == "otel"), where
        assert (re.search(r"websocket|/events|/ws", tests, flags=re.I) is not None) == realtime
        if auth == "token":
            assert "Bearer" in tests, where
        if auth == "session":
            assert "/login" in tests, where

    fastapi, flask = projects["fastapi"], projects["flask"]
    # The same Prometheus series, with the same labels, so one dashboard serves both.
    series = {fw: declared_metrics(p) for fw, p in projects.items()}
    assert series["fastapi"] == series["flask"]
    assert bool(series["fastapi"]) == observed
    assert top_level(fastapi, "fastapi") == top_level(flask, "flask")
    if ml:
        models = [
            next((p / "src/parity_svc/ml").glob("*.json")).read_bytes() for p in (fastapi, flask)
        ]
        assert models[0] == models[1], "both templates serve the same model artifact"


# Both JSON APIs live under this prefix; the rest of each document is probes and pages.
API_V1 = "/api/v1/"
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
# Operations whose whole contract is compared, and whether a case has them.
COMPARED: dict[tuple[str, str], Callable[[Case], bool]] = {
    ("/api/v1/echo", "post"): lambda case: case["interface"] != "html",
    ("/api/v1/users/me", "get"): lambda case: case["auth"] == "token",
    ("/api/v1/aggregate", "get"): lambda case: case["async_io"] == "yes",
}
# FastAPI documents these once for every route (a Host not allowed, a body too large);
# Flask lists them only on the operations that read a body.
APP_WIDE_STATUSES = {"400", "413"}
# Dumps the project's OpenAPI document from its own app, in its own environment.
DUMP_OPENAPI = {
    "fastapi": (
        "import json, pathlib; from parity_svc.main import create_app; "
        "pathlib.Path('openapi.json').write_text(json.dumps(create_app().openapi()))"
    ),
    "flask": (
        "import pathlib; from parity_svc import create_app; "
        "pathlib.Path('openapi.json').write_bytes("
        "create_app().test_client().get('/openapi.json').data)"
    ),
}
# The covering cases with a JSON items API (Flask's "html" interface has pages instead).
API_CASES = [c for c in covering_cases() if c["database"] != "none" and c["interface"] != "html"]


def openapi(project: Path, framework: str, case: Case) -> dict[str, Any]:
    env = synced(project, str(case["python_version"]))
    run(["python", "-c", DUMP_OPENAPI[framework]], project, env)
    document: dict[str, Any] = json.loads((project / "openapi.json").read_text(encoding="utf-8"))
    return document


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def api_methods(document: dict[str, Any]) -> dict[str, set[str]]:
    """Every path under /api/v1 with its HTTP methods."""
    return {
        path: {method for method in item if method in HTTP_METHODS}
        for path, item in document["paths"].items()
        if path.startswith(API_V1)
    }


def types(document: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    """The JSON types a schema allows; "any" (an empty schema) covers null too."""
    schema = resolve(document, schema)
    if "anyOf" in schema:
        found = set().union(*(types(document, option) for option in schema["anyOf"]))
    else:
        kind = schema.get("type", "any")
        found = set(kind) if isinstance(kind, list) else {kind}
    return {"any"} if "any" in found else found


def shape(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, object]:
    """An object's fields (types and length bounds) and which are required; for a list,
    the same of its items."""
    schema = resolve(document, schema)
    if schema.get("type") == "array":
        return {"array of": shape(document, schema["items"])}
    fields = {
        name: (
            sorted(types(document, prop)),
            resolve(document, prop).get("minLength"),
            resolve(document, prop).get("maxLength"),
        )
        for name, prop in schema["properties"].items()
    }
    return {"fields": fields, "required": sorted(schema.get("required", []))}


def parameters(operation: dict[str, Any]) -> dict[str, tuple[object, ...]]:
    """Each parameter's place, type, bounds and default."""
    return {
        p["name"]: (
            p["in"],
            p["schema"].get("type"),
            p["schema"].get("minimum"),
            p["schema"].get("maximum"),
            p["schema"].get("default"),
        )
        for p in operation.get("parameters", [])
    }


def contract(document: dict[str, Any], path: str, method: str) -> dict[str, object]:
    """What a client of one operation relies on: its parameters, body and success answer."""
    operation = document["paths"][path][method]
    request = operation.get("requestBody", {}).get("content", {}).get("application/json")
    success = [code for code in operation["responses"] if code.startswith("2")]
    answer = operation["responses"][success[0]]["content"]["application/json"]["schema"]
    body = resolve(document, request["schema"]) if request else None
    return {
        "params": parameters(operation),
        "request": shape(document, body) if body else None,
        # Whether unknown fields in the request are refused (422) rather than ignored.
        "closed": body is not None and body.get("additionalProperties") is False,
        "success": success,
        "answer": shape(document, answer),
    }


def list_contract(document: dict[str, Any]) -> dict[str, object]:
    """What a client of GET /api/v1/items relies on: the bounds and the page's fields."""
    operation = document["paths"]["/api/v1/items"]["get"]
    params = parameters(operation)
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    page = resolve(document, body)
    fields = {
        name: resolve(document, prop).get("type") for name, prop in page["properties"].items()
    }
    return {"params": params, "required": sorted(page["required"]), "fields": fields}


@pytest.mark.parametrize("case", API_CASES, ids=case_id)
def test_both_apis_have_the_same_paths_and_list_contract(tmp_path: Path, case: Case) -> None:
    case = {**case, "api_docs": "yes"}
    documents = {fw: openapi(render(tmp_path, fw, case), fw, case) for fw in FRAMEWORKS}
    paths = {fw: set(doc["paths"]) for fw, doc in documents.items()}
    api = {fw: {p for p in found if p.startswith(API_V1)} for fw, found in paths.items()}
    # No JSON endpoint is left at the old, unversioned /api/.
    for framework, found in paths.items():
        assert not {p for p in found if p.startswith("/api/") and p not in api[framework]}
    # The same paths, each with the same methods.
    methods = {fw: api_methods(doc) for fw, doc in documents.items()}
    assert methods["fastapi"] == methods["flask"]
    assert "/api/v1/items" in api["fastapi"]
    for (path, method), present in COMPARED.items():
        assert (method in methods["fastapi"].get(path, set())) == present(case), path
        if not present(case):
            continue
        ours = {fw: contract(doc, path, method) for fw, doc in documents.items()}
        assert ours["fastapi"] == ours["flask"], path
        statuses = {
            fw: set(doc["paths"][path][method]["responses"]) for fw, doc in documents.items()
        }
        assert statuses["flask"] <= statuses["fastapi"], path
        assert statuses["fastapi"] - statuses["flask"] <= APP_WIDE_STATUSES, path
    if case["async_io"] == "yes":
        aggregate = contract(documents["fastapi"], "/api/v1/aggregate", "get")
        assert aggregate["params"] == {"delay": ("query", "number", 0, 1, 0.05)}
    contracts = {fw: list_contract(doc) for fw, doc in documents.items()}
    assert contracts["fastapi"] == contracts["flask"]
    assert contracts["fastapi"] == {
        "params": {
            "limit": ("query", "integer", 1, 100, 50),
            "offset": ("query", "integer", 0, 2**31 - 1, 0),
        },
        "required": ["items", "limit", "offset", "total"],
        "fields": {"items": "array", "total": "integer", "limit": "integer", "offset": "integer"},
    }
