"""What a bridge project says about its migration: ``docs/migration.md`` and the ADR's part.

The plan lists every route the Flask app had when the project was made, as a checklist;
``fwpick check`` reports the live count, from the app as it is then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scaffolder.decide.model import RuleSet, Source
from scaffolder.project.legacy_routes import LegacyApp, LegacyRoute

if TYPE_CHECKING:
    from scaffolder.project.plan import ProjectPlan

# The article that suggests the path, quoted word for word (rules.yaml cites it too).
SOURCE_FILE = "000_4590a461a83960d6.txt"
QUOTE = "FastAPI can also run Flask apps inside it via middleware for gradual migration."
_FALLBACK = Source(
    SOURCE_FILE,
    "FastAPI vs Flask: Complete Comparison for Microservices Development",
    "OfflinePixel",
)


def quote_source(rules: RuleSet) -> Source:
    """The article the quote comes from, as the rules file names it."""
    return next((s for s in rules.sources if s.file == SOURCE_FILE), _FALLBACK)


def _citation(rules: RuleSet) -> str:
    source = quote_source(rules)
    title = f"[{source.title}]({source.url})" if source.url else source.title
    publisher = f", {source.publisher}" if source.publisher else ""
    return f"*{title}*{publisher} (`{source.file}`)"


def adr_lines(rules: RuleSet, plan: ProjectPlan) -> list[str]:
    """The decision record's section on the migration."""
    if plan.legacy is None:
        return []
    return [
        "",
        "### A gradual migration from Flask",
        "",
        f"The existing Flask project (`{plan.legacy.distribution}`) keeps running inside this "
        "FastAPI app while its routes are ported one at a time: FastAPI's routes answer "
        "first, and every other request goes to the Flask app through a WSGI adapter "
        "(a2wsgi), under the same request ids, access log, security headers and host check. "
        "Nothing is rewritten in one go, and each ported route is live as soon as it is "
        "merged.",
        "",
        f"> {QUOTE}",
        "",
        f"— source: {_citation(rules)}",
        "",
        "The mount goes when no legacy route is left (`fwpick check` counts them; "
        "`fwpick update --set migrate_from=` removes it). See `docs/migration.md`.",
    ]


def _methods(route: LegacyRoute) -> str:
    return ", ".join(route.methods) or "(none)"


def _checklist(routes: list[LegacyRoute]) -> list[str]:
    lines = ["| Done | Methods | Rule | Endpoint | Blueprint |", "| --- | --- | --- | --- | --- |"]
    for route in routes:
        lines.append(
            f"| [ ] | {_methods(route)} | `{route.rule}` | `{route.endpoint}` | "
            f"{f'`{route.blueprint}`' if route.blueprint else '(app)'} |"
        )
    return lines


def migration_doc(rules: RuleSet, plan: ProjectPlan, migrate_from: str, app: LegacyApp) -> str:
    package = plan.package
    contract = [r for r in app.routes if "GET" in r.methods and not r.arguments]
    return "\n".join(
        [
            "# Migrating from Flask to FastAPI",
            "",
            f"This FastAPI project serves the Flask app `{app.spec}` from `{migrate_from}` "
            "(the `" + (plan.legacy.distribution if plan.legacy else "") + "` project, "
            "installed from its folder in editable mode) for every request FastAPI's own "
            "routes do not answer. Port its routes one at a time; each port is live as soon "
            "as it is merged, and clients see no difference.",
            "",
            f"> {QUOTE}",
            "",
            f"— {_citation(rules)}",
            "",
            "## How requests are routed",
            "",
            f"- `src/{package}/legacy.py` mounts the Flask app last, through a2wsgi (a "
            "maintained WSGI adapter; Starlette's own is deprecated). FastAPI's routes are "
            "matched first: a FastAPI route with the same path and method takes over from "
            "the Flask one. Every other request reaches Flask unchanged (path, query string, "
            "headers, cookies, body, streamed responses, status).",
            "- Request ids, the access log, security headers, the body limit and the host "
            "check cover both apps. Paths neither app knows get Flask's 404 page.",
            "- `/healthz` and `/readyz` come from FastAPI; `/readyz` also checks that the "
            "Flask app answers (`legacy` in its checks).",
            f"- `tests/test_legacy.py` holds the contract: each of the {len(contract)} GET "
            "routes without URL parameters answers through FastAPI with the status and "
            "content type it has in Flask alone, and never with a server error.",
            "",
            f"## Legacy routes ({len(app.routes)})",
            "",
            "Found in the Flask app when this project was made. `fwpick check` (or "
            "`fwpick check --json`) counts, from the apps as they are now, the routes FastAPI "
            "already serves and those left.",
            "",
            *_checklist(app.routes),
            "",
            "## How to port a route",
            "",
            f"1. Write the FastAPI route with the same path and method, in a router under "
            f"`src/{package}/api/` (or `web/` for pages), and add the router to `main.py`.",
            "2. Keep what clients rely on: status codes, content types, redirects, cookies. "
            "For a GET page the contract test checks it; write tests for the rest.",
            "3. Run `fwpick check`: the route now counts as served by FastAPI. The Flask "
            "view can no longer be reached; delete it when the port has shipped.",
            "4. Shared state first: a route behind the Flask login needs the user from "
            "Flask's session cookie (signed with the Flask app's `SECRET_KEY`), so port "
            "login and logout early, or read that cookie in a FastAPI dependency.",
            "5. Static files: if the FastAPI app serves its own `/static`, it shadows Flask's "
            "static folder; move the files over at the same time.",
            "",
            "## When to remove the mount",
            "",
            "When `fwpick check` says no legacy route is left, run "
            "`fwpick update --set migrate_from=`: it removes `legacy.py`, the mount, the "
            "readiness check, a2wsgi and the Flask project's dependency in one reviewable "
            "change, and relocks `uv.lock`. Then retire the Flask project.",
            "",
            "## Until then",
            "",
            f"- The Flask project is a path dependency (`{migrate_from}`), outside this "
            "repository: the Docker image and CI build from this folder only. Publish the "
            "Flask project to your package index (and depend on it by version), or check "
            "both out side by side in CI, before you build images.",
            "- Flask views are synchronous: a2wsgi runs them in a thread pool "
            "(`WSGI_WORKERS` in `legacy.py`), off the event loop.",
            "",
        ]
    )
