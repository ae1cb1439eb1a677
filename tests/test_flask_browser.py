"""Load a rendered Flask project's pages in headless Chromium and check the rendered DOM."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import copier
import pytest

from tests.support.generated import REPO, free_port, run, serving
from tests.support.project_env import synced

CHROMIUM = Path("/usr/bin/chromium")
TEMPLATE = REPO / "templates" / "flask"
PACKAGE = "browser_shop"

if not CHROMIUM.exists():
    if os.environ.get("FWPICK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing but FWPICK_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An html + session-auth project, migrated and served by gunicorn on 127.0.0.1."""
    root = tmp_path_factory.mktemp("browser")
    project = root / "project"
    copier.run_copy(
        str(TEMPLATE),
        str(project),
        data={
            "project_name": "Browser Shop",
            "interface": "html",
            "auth": "session",
            "database": "sqlite",
            "secret_key": secrets.token_urlsafe(32),
        },
        defaults=True,
        quiet=True,
    )
    env = {
        **synced(project, "3.12"),
        "DATABASE_URL": f"sqlite:///{root / 'browser.sqlite3'}",
        # Development config: cookies without Secure work over plain http.
        "ENVIRONMENT": "development",
    }
    run(["flask", "--app", PACKAGE, "db", "upgrade"], project, env)
    port = free_port()
    server = ["gunicorn", f"{PACKAGE}:create_app()", "--bind", f"127.0.0.1:{port}"]
    with serving(server, project, env, port) as base:
        yield base


def dump_dom(url: str, profile: Path) -> str:
    proc = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_home_page(base_url: str, tmp_path: Path) -> None:
    dom = dump_dom(f"{base_url}/", tmp_path / "profile")
    assert "<title>Browser Shop</title>" in dom
    assert re.search(r"<h1>\s*Browser Shop\s*</h1>", dom)
    assert 'href="/auth/login"' in dom
    assert re.search(r'<input[^>]+name="csrf_token"[^>]+value="[^"]{20,}"', dom)


def test_login_form_carries_a_csrf_token(base_url: str, tmp_path: Path) -> None:
    dom = dump_dom(f"{base_url}/auth/login", tmp_path / "profile")
    form = re.search(r'<form[^>]*id="login-form".*?</form>', dom, re.S)
    assert form, dom[-2000:]
    html = form.group(0)
    assert re.search(r'<input[^>]+name="csrf_token"[^>]+value="[^"]{20,}"', html)
    assert re.search(r'<input[^>]+name="email"', html)
    assert re.search(r'<input[^>]+name="password"[^>]+type="password"', html)
    assert ">Log in</button>" in html


def test_anonymous_account_redirects_to_login(base_url: str, tmp_path: Path) -> None:
    dom = dump_dom(f"{base_url}/auth/account", tmp_path / "profile")
    assert 'id="login-form"' in dom


def test_404_page(base_url: str, tmp_path: Path) -> None:
    dom = dump_dom(f"{base_url}/no-such-page", tmp_path / "profile")
    assert "Page not found" in dom
    assert "Traceback" not in dom
