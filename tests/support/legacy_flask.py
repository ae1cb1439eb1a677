"""Write a realistic Flask project to migrate from: an app factory, two blueprints, URL
parameters, a session login with a form, static files, a JSON endpoint and a streamed page."""

from __future__ import annotations

import textwrap
from pathlib import Path

PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.27"]
build-backend = "hatchling.build"

[project]
name = "legacy-shop"
version = "1.4.0"
requires-python = ">=3.11"
dependencies = ["flask>=3.0,<4"]

[tool.hatch.build.targets.wheel]
packages = ["src/shop"]
"""

INIT = '''\
"""The shop: a Flask app built by its factory."""

from __future__ import annotations

from flask import Flask


def create_app(config: dict[str, object] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="legacy-shop-secret-key-for-tests-only", USERS={"ada": "lovelace"})
    app.config.update(config or {})

    from shop import api, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    return app
'''

PAGES = '''\
"""HTML pages: a home page, items by id, a login form, an account page, a streamed report."""

from __future__ import annotations

from collections.abc import Iterator

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template_string,
    request,
    session,
    stream_with_context,
    url_for,
)

bp = Blueprint("pages", __name__)

LAYOUT = (
    "<!doctype html><html><head><link rel=stylesheet "
    "href=\\"{{ url_for('static', filename='style.css') }}\\"></head><body>{{ body }}</body></html>"
)


@bp.get("/")
def index() -> str:
    return render_template_string(LAYOUT, body="Welcome to the shop")


@bp.get("/items/<int:item_id>")
def item(item_id: int) -> str:
    return render_template_string(LAYOUT, body=f"Item {item_id}")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if request.method == "POST":
        name = request.form.get("username", "")
        if current_app.config["USERS"].get(name) == request.form.get("password"):
            session["user"] = name
            return redirect(url_for("pages.account"))
        return Response("Wrong name or password", status=401)
    return render_template_string(
        LAYOUT, body="<form method=post><input name=username><input name=password></form>"
    )


@bp.get("/account")
def account() -> str | Response:
    if "user" not in session:
        return redirect(url_for("pages.login"))
    return render_template_string(LAYOUT, body=f"Hello {session['user']}")


@bp.post("/logout")
def logout() -> Response:
    session.clear()
    return redirect(url_for("pages.index"))


@bp.get("/report")
def report() -> Response:
    def rows() -> Iterator[str]:
        for number in range(1, 4):
            yield f"row {number}\\n"

    return Response(stream_with_context(rows()), mimetype="text/plain")
'''

API = '''\
"""The JSON API."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

bp = Blueprint("api", __name__)


@bp.get("/status")
def status() -> ResponseReturnValue:
    return jsonify(status="ok", version="1.4.0")


@bp.get("/items/<int:item_id>")
def item(item_id: int) -> ResponseReturnValue:
    return jsonify(id=item_id, name=f"item {item_id}", q=request.args.get("q"))


@bp.post("/echo")
def echo() -> ResponseReturnValue:
    return jsonify(request.get_json(force=True))
'''


def write_legacy_shop(root: Path) -> Path:
    """The Flask project in ``root`` (created); returns ``root``."""
    files = {
        "pyproject.toml": PYPROJECT,
        "src/shop/__init__.py": INIT,
        "src/shop/pages.py": PAGES,
        "src/shop/api.py": API,
        "src/shop/static/style.css": "body { font-family: sans-serif; }\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root
