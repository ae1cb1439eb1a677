"""Find a Flask app and read its routes: run as a script in a generated project's environment.

fwpick never imports a user's Flask app in its own process (an import may hang, crash or
change global state), so ``legacy_routes`` runs this file with the project's Python. It uses
only the standard library and what that environment provides (Flask, Starlette), and writes
one JSON object to the file named on the command line:

    python legacy_probe.py discover OUT SPEC MODULE...   find the app (as ``flask`` does)
    python legacy_probe.py progress OUT PACKAGE           which app serves each legacy route
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
import traceback
from pathlib import Path
from typing import Any

# Names ``flask`` tries, in its order: app objects first, then factories.
APP_NAMES = ("app", "application")
FACTORY_NAMES = ("create_app", "make_app")
# Sample values that satisfy Werkzeug's standard converters, to ask FastAPI's router
# which app would answer a route.
SAMPLES = {
    "int": "1",
    "float": "1.5",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "path": "x",
    "string": "x",
    "default": "x",
}
_VARIABLE = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
# Methods Werkzeug adds to every rule by itself.
AUTOMATIC = ("HEAD", "OPTIONS")


class Refused(Exception):
    """The app can't be used; ``kind`` says why, for fwpick's message."""

    def __init__(self, kind: str, message: str, trace: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.trace = trace


def _flask_class() -> Any:
    try:
        return importlib.import_module("flask").Flask
    except ImportError as exc:
        raise Refused("no_flask", f"Flask is not installed with the project ({exc})") from None


def _import(module: str, *, optional: bool) -> Any:
    """The module, or None when ``optional`` and the module itself does not exist."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if optional and exc.name is not None and (module + ".").startswith(exc.name + "."):
            return None
        raise Refused(
            "import_error", f"importing {module} failed", traceback.format_exc()
        ) from None
    except BaseException:
        raise Refused(
            "import_error", f"importing {module} failed", traceback.format_exc()
        ) from None


def _call_factory(module: str, name: str, factory: Any) -> Any:
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        signature = None
    if signature is not None:
        required = [
            p.name
            for p in signature.parameters.values()
            if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        if required:
            raise Refused(
                "needs_arguments",
                f"the factory {module}:{name} needs arguments ({', '.join(required)}); "
                "give it defaults, or add a factory without required arguments and pass it "
                "with --flask-app",
            )
    try:
        return factory()
    except BaseException:
        raise Refused("import_error", f"{module}:{name}() failed", traceback.format_exc()) from None


def _from_attribute(module_name: str, module: Any, attr: str, flask: Any) -> tuple[Any, str]:
    name = attr.removesuffix("()")
    if not hasattr(module, name):
        raise Refused("not_found", f"{module_name} has no attribute {name!r}")
    found = getattr(module, name)
    if isinstance(found, flask):
        return found, f"{module_name}:{name}"
    if inspect.isfunction(found):
        app = _call_factory(module_name, name, found)
        if isinstance(app, flask):
            return app, f"{module_name}:{name}()"
        raise Refused("not_flask", f"{module_name}:{name}() returned {type(app).__name__}")
    raise Refused("not_flask", f"{module_name}:{name} is a {type(found).__name__}, not a Flask app")


def _best_in(module_name: str, module: Any, flask: Any) -> tuple[Any, str] | None:
    """Flask's own search: ``app``, ``application``, a single app object, then factories."""
    for name in APP_NAMES:
        if isinstance(getattr(module, name, None), flask):
            return getattr(module, name), f"{module_name}:{name}"
    apps = [k for k, v in vars(module).items() if isinstance(v, flask)]
    if len(apps) == 1:
        return getattr(module, apps[0]), f"{module_name}:{apps[0]}"
    if len(apps) > 1:
        raise Refused(
            "ambiguous",
            f"{module_name} holds several Flask apps ({', '.join(sorted(apps))}); "
            "pick one with --flask-app",
        )
    for name in FACTORY_NAMES:
        factory = getattr(module, name, None)
        if inspect.isfunction(factory):
            return _from_attribute(module_name, module, name, flask)
    return None


def find_app(spec: str, modules: list[str]) -> tuple[Any, str]:
    """The Flask app and its spec (``module:attr``, or ``module:factory()``)."""
    flask = _flask_class()
    if spec:
        module_name, _, attr = spec.partition(":")
        module = _import(module_name, optional=False)
        if attr:
            return _from_attribute(module_name, module, attr, flask)
        found = _best_in(module_name, module, flask)
        if found is None:
            raise Refused("not_found", f"no Flask app or factory in {module_name}")
        return found
    for module_name in modules:
        module = _import(module_name, optional=True)
        if module is None:
            continue
        found = _best_in(module_name, module, flask)
        if found is not None:
            return found
    raise Refused(
        "not_found",
        f"no Flask app (app, application) or factory (create_app, make_app) in "
        f"{', '.join(modules) or 'the project'}; name it with --flask-app MODULE:ATTR",
    )


def sample_path(rule: str) -> str:
    """A concrete path the rule matches, e.g. ``/items/<int:id>`` -> ``/items/1``."""

    def value(match: re.Match[str]) -> str:
        converter = match.group("converter") or "default"
        if converter == "any" and match.group("args"):
            return match.group("args").split(",")[0].strip().strip("'\"")
        return SAMPLES.get(converter, "x")

    return _VARIABLE.sub(value, rule)


def routes(app: Any) -> list[dict[str, Any]]:
    found = []
    for rule in app.url_map.iter_rules():
        methods = set(rule.methods or ())
        shown = sorted(
            m for m in methods if m not in AUTOMATIC or (m == "HEAD" and "GET" not in methods)
        )
        endpoint = str(rule.endpoint)
        found.append(
            {
                "rule": str(rule.rule),
                "methods": shown,
                "endpoint": endpoint,
                "blueprint": endpoint.rpartition(".")[0],
                "arguments": sorted(rule.arguments),
                "sample": sample_path(str(rule.rule)),
            }
        )
    return sorted(found, key=lambda r: (r["rule"], r["methods"]))


def served_by(fastapi_app: Any, legacy_route: Any, path: str, method: str) -> str:
    """ "fastapi" or "flask": which app FastAPI's router hands this request to."""
    full = importlib.import_module("starlette.routing").Match.FULL
    scope = {"type": "http", "path": path, "root_path": "", "method": method, "headers": []}
    for route in fastapi_app.router.routes:
        match, _ = route.matches(scope)
        if match == full:
            return "flask" if route is legacy_route else "fastapi"
    return "flask"


def progress(package: str) -> dict[str, Any]:
    main = _import(f"{package}.main", optional=False)
    fastapi_app = main.app
    legacy_app = getattr(fastapi_app.state, "legacy_app", None)
    mount = next((r for r in fastapi_app.router.routes if getattr(r, "name", "") == "legacy"), None)
    if legacy_app is None or mount is None:
        raise Refused("no_mount", f"{package}.main mounts no Flask app (named 'legacy')")
    listed = routes(legacy_app)
    for route in listed:
        by = {m: served_by(fastapi_app, mount, route["sample"], m) for m in route["methods"]}
        route["fastapi"] = [m for m, app in by.items() if app == "fastapi"]
        route["flask"] = [m for m, app in by.items() if app == "flask"]
    return {"ok": True, "routes": listed}


def main(argv: list[str]) -> int:
    mode, out = argv[0], argv[1]
    try:
        if mode == "discover":
            app, spec = find_app(argv[2], argv[3:])
            result: dict[str, Any] = {"ok": True, "spec": spec, "routes": routes(app)}
        else:
            result = progress(argv[2])
    except Refused as exc:
        result = {"ok": False, "kind": exc.kind, "message": str(exc), "traceback": exc.trace}
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
