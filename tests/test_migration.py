"""``fwpick new --migrate-from``: a FastAPI project that serves an existing Flask app.

The suite writes its own Flask project (``tests/support/legacy_flask.py``), makes the bridge
with ``fwpick new``, installs it from its lock, runs its own ``make check``, serves it with
uvicorn, ports one route and watches ``fwpick check`` count it; then removes the mount with
``fwpick update``. Bad input exits 2 and writes nothing.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from .support.cli import fwpick
from .support.generated import free_port, run, serving
from .support.legacy_flask import write_legacy_shop
from .support.project_env import synced

PYTHON = "3.11"
NEW = (
    *("new", "bridge", "--yes", "--framework", "fastapi", "--database", "none"),
    *("--python", PYTHON, "--ci", "none"),
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def http(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) without following redirects."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


def make_bridge(tmp_path: Path) -> Path:
    write_legacy_shop(tmp_path / "legacy")
    proc = fwpick(*NEW, "--migrate-from", "legacy", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return tmp_path / "bridge"


PORTED = '''\
"""GET /api/status, ported from the Flask app."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()


@router.get("/api/status")
async def status() -> dict[str, str]:
    return {"status": "ok", "version": "1.4.0", "served_by": "fastapi"}
'''


def port_status_route(project: Path) -> None:
    (project / "src" / "bridge" / "api" / "status.py").write_text(PORTED)
    main = project / "src" / "bridge" / "main.py"
    text = main.read_text()
    text = text.replace(
        "from bridge.api import echo, health", "from bridge.api import echo, health, status"
    )
    text = text.replace("        echo.router,\n", "        echo.router,\n        status.router,\n")
    assert "status.router" in text
    main.write_text(text)


def check_json(project: Path) -> dict[str, object]:
    proc = fwpick("check", str(project), "--json")
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def test_the_bridge_serves_both_apps_and_counts_ported_routes(tmp_path: Path) -> None:
    project = make_bridge(tmp_path)

    # What fwpick wrote: a relative, editable path dependency, the app it found, the plan.
    pyproject = (project / "pyproject.toml").read_text()
    assert '"legacy-shop" = { path = "../legacy", editable = true }' in pyproject
    assert '"a2wsgi>=' in pyproject
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["migrate_from"] == "../legacy"
    assert answers["flask_app"] == "shop:create_app()"
    plan = (project / "docs" / "migration.md").read_text()
    assert "| [ ] | GET, POST | `/login` | `pages.login` | `pages` |" in plan
    assert "| [ ] | GET | `/api/items/<int:item_id>` | `api.item` | `api` |" in plan
    assert "| [ ] | GET | `/static/<path:filename>` | `static` | (app) |" in plan
    adr = (project / "docs" / "adr" / "0001-web-framework.md").read_text()
    assert "FastAPI can also run Flask apps inside it via middleware" in adr
    assert "`000_4590a461a83960d6.txt`" in adr
    assert str(tmp_path) not in pyproject + plan + adr + (project / "uv.lock").read_text()

    # Its own checks, in its own environment from its own lock.
    env = synced(project, PYTHON)
    env.pop("SECRET_KEY", None)
    run(["make", "check"], project, env)

    before = check_json(project)["migration"]
    assert isinstance(before, dict)
    assert (before["legacy_routes"], before["served_by_fastapi"]) == (10, 0)

    port_status_route(project)
    port = free_port()
    uvicorn = ["uvicorn", "bridge.main:app", "--port", str(port)]
    with serving(uvicorn, project, env, port) as base:
        status, headers, body = http(f"{base}/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        status, _, body = http(f"{base}/readyz")
        assert json.loads(body)["checks"]["legacy"] == "ok"
        # The ported route now comes from FastAPI.
        status, _, body = http(f"{base}/api/status")
        assert json.loads(body)["served_by"] == "fastapi"
        # Legacy pages, unchanged, under the shared middleware.
        status, headers, body = http(f"{base}/", headers={"X-Request-ID": "legacy-1"})
        assert status == 200 and b"Welcome to the shop" in body
        assert headers["x-request-id"] == "legacy-1"
        assert headers["x-content-type-options"] == "nosniff"
        status, headers, body = http(f"{base}/static/style.css")
        assert status == 200 and headers["content-type"].startswith("text/css")
        status, _, body = http(f"{base}/api/items/7?q=blue")
        assert json.loads(body) == {"id": 7, "name": "item 7", "q": "blue"}
        payload = json.dumps({"a": [1, 2]}).encode()
        _, _, body = http(
            f"{base}/api/echo", data=payload, headers={"Content-Type": "application/json"}
        )
        assert json.loads(body) == {"a": [1, 2]}
        status, _, body = http(f"{base}/report")
        assert (status, body) == (200, b"row 1\nrow 2\nrow 3\n")
        # A session login round trip: the form, the cookie, the page behind it.
        status, headers, _ = http(f"{base}/account")
        assert status == 302 and headers["location"].endswith("/login")
        form = b"username=ada&password=lovelace"
        status, headers, _ = http(f"{base}/login", data=form)
        assert status == 302 and headers["location"].endswith("/account")
        cookie = headers["set-cookie"].split(";")[0]
        status, _, body = http(f"{base}/account", headers={"Cookie": cookie})
        assert (status, b"Hello ada" in body) == (200, True)
        assert http(f"{base}/login", data=b"username=ada&password=no")[0] == 401

    after = check_json(project)["migration"]
    assert isinstance(after, dict)
    assert (after["legacy_routes"], after["served_by_fastapi"], after["left"]) == (10, 1, 9)
    assert after["mount_can_go"] is False
    text = fwpick("check", str(project)).stdout
    assert "10 legacy routes, 1 served by FastAPI, 9 left" in text


def test_a_bridge_with_pages_leaves_flasks_static_files_to_flask(tmp_path: Path) -> None:
    write_legacy_shop(tmp_path / "legacy")
    proc = fwpick(*NEW, "--interface", "both", "--migrate-from", "legacy", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    project = tmp_path / "bridge"
    env = synced(project, PYTHON)
    env.pop("SECRET_KEY", None)
    run(
        ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_pages.py"],
        project,
        env,
    )
    port = free_port()
    with serving(["uvicorn", "bridge.main:app", "--port", str(port)], project, env, port) as base:
        status, _, body = http(f"{base}/static/style.css")
        assert (status, body) == (200, b"body { font-family: sans-serif; }\n")
        status, headers, body = http(f"{base}/assets/style.css")
        assert status == 200 and headers["content-type"].startswith("text/css")
        assert body == (project / "src/bridge/static/style.css").read_bytes()


def test_update_removes_the_mount_and_the_dependency(tmp_path: Path) -> None:
    project = make_bridge(tmp_path)
    proc = fwpick("update", str(project), "--set", "migrate_from=")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (project / "src" / "bridge" / "legacy.py").exists()
    assert not (project / "tests" / "test_legacy.py").exists()
    pyproject = (project / "pyproject.toml").read_text()
    assert "legacy-shop" not in pyproject and "a2wsgi" not in pyproject
    assert "tool.uv.sources" not in pyproject
    assert "legacy-shop" not in (project / "uv.lock").read_text()
    assert "mount_legacy" not in (project / "src" / "bridge" / "main.py").read_text()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["migrate_from"] == ""
    assert "migration" not in check_json(project)
    # Still consistent with its lock.
    run(["uv", "lock", "--locked"], project, synced(project, PYTHON))


def test_other_updates_of_a_bridge_relock_with_the_flask_project(tmp_path: Path) -> None:
    project = make_bridge(tmp_path)
    proc = fwpick("update", str(project), "--set", "database=sqlite")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "not relocked" not in proc.stdout + proc.stderr
    lock = (project / "uv.lock").read_text()
    assert "sqlalchemy" in lock and "legacy-shop" in lock
    # The lock was made beside the project, and nothing of that folder is left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bridge", "legacy"]
    run(["uv", "lock", "--locked"], project, synced(project, PYTHON))


BROKEN = {
    "noapp.py": "VALUE = 1\n",
    "needsargs.py": "import flask\n\n\ndef create_app(config):\n    return flask.Flask(__name__)\n",
    "raises.py": "raise RuntimeError('the database is down')\n",
    "hangs.py": "import time\n\ntime.sleep(120)\n",
}
BROKEN_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.27"]
build-backend = "hatchling.build"

[project]
name = "broken-shop"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["flask>=3.0,<4"]

[tool.hatch.build.targets.wheel]
packages = ["src/broken"]
"""


def write_broken(root: Path) -> Path:
    (root / "src" / "broken").mkdir(parents=True)
    (root / "pyproject.toml").write_text(BROKEN_PYPROJECT)
    (root / "src" / "broken" / "__init__.py").write_text("")
    for name, text in BROKEN.items():
        (root / "src" / "broken" / name).write_text(text)
    return root


def assert_refused(tmp_path: Path, proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert isinstance(proc, subprocess.CompletedProcess)
    assert proc.returncode == 2, proc.stderr
    stderr = str(proc.stderr)
    for needle in needles:
        assert needle in stderr
    assert not (tmp_path / "bridge").exists()
    assert not list(tmp_path.glob(".bridge*")), "staging left behind"


@pytest.mark.parametrize(
    ("spec", "needles"),
    [
        ("broken.noapp", ["no Flask app or factory in broken.noapp"]),
        ("broken.needsargs:create_app", ["needs arguments (config)"]),
        ("broken.raises", ["importing broken.raises failed", "RuntimeError: the database is down"]),
        ("broken.hangs", ["took longer than 3 s"]),
    ],
)
def test_an_app_that_cannot_be_served_is_refused(
    tmp_path: Path, spec: str, needles: list[str]
) -> None:
    write_broken(tmp_path / "legacy")
    proc = fwpick(
        *NEW,
        "--migrate-from",
        "legacy",
        "--flask-app",
        spec,
        cwd=tmp_path,
        env={"FWPICK_IMPORT_TIMEOUT": "3"},
    )
    assert_refused(tmp_path, proc, *needles)


def test_bad_paths_and_frameworks_are_refused(tmp_path: Path) -> None:
    assert_refused(
        tmp_path, fwpick(*NEW, "--migrate-from", "nowhere", cwd=tmp_path), "no such directory"
    )
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "pyproject.toml").write_text('[project]\nname = "plain"\nversion = "1"\n')
    proc = fwpick(*NEW, "--migrate-from", "plain", cwd=tmp_path)
    assert_refused(tmp_path, proc, "not a Flask project")
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "__init__.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    assert_refused(
        tmp_path,
        fwpick(*NEW, "--migrate-from", "bare", cwd=tmp_path),
        "no pyproject.toml or setup.py",
    )
    write_legacy_shop(tmp_path / "legacy")
    proc = fwpick(*NEW[:3], "--framework", "flask", "--migrate-from", "legacy", cwd=tmp_path)
    assert_refused(
        tmp_path, proc, "--migrate-from makes a FastAPI project", "not --framework flask"
    )
    proc = fwpick(*NEW, "--flask-app", "shop:create_app", cwd=tmp_path)
    assert_refused(tmp_path, proc, "--flask-app names the app to migrate from")


def test_the_answers_file_takes_the_same_inputs(tmp_path: Path) -> None:
    write_legacy_shop(tmp_path / "legacy")
    answers = tmp_path / "answers.yml"
    answers.write_text("migrate_from: legacy\nflask_app: shop:create_app\nframework: flask\n")
    proc = fwpick(*NEW[:3], "--answers", str(answers), "--dry-run", cwd=tmp_path)
    assert_refused(tmp_path, proc, "not --framework flask")
    proc = fwpick(*NEW, "--answers", str(answers), "--dry-run", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "migration.md" in proc.stdout and "legacy.py" in proc.stdout
    report = json.loads(
        fwpick(*NEW, "--answers", str(answers), "--dry-run", "--json", cwd=tmp_path).stdout
    )
    assert "--migrate-from legacy --flask-app shop:create_app" in " ".join(
        report["command"].split()
    )
    assert report["answers"]["migrate_from"] == str((tmp_path / "legacy").resolve())
    assert report["answers"]["flask_app"] == "shop:create_app"
