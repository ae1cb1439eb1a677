"""How far a bridge project's migration from Flask has come, for ``fwpick check``.

The answer comes from the apps as they are now: the project's environment is synced from
its lock, and FastAPI's own router says, for each legacy route and method, which app
would answer it.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffolder.project.legacy_routes import LegacyRoute, ProbeFailed, served_routes


@dataclass(frozen=True)
class MigrationProgress:
    migrate_from: str  # as recorded, relative to the project
    routes: list[LegacyRoute] = field(default_factory=list)
    error: str = ""  # why the routes could not be read; empty when they were

    @property
    def served(self) -> list[LegacyRoute]:
        return [r for r in self.routes if r.ported]

    @property
    def left(self) -> list[LegacyRoute]:
        return [r for r in self.routes if not r.ported]

    @property
    def done(self) -> bool:
        return not self.error and not self.left


def _environment(root: Path) -> Path:
    configured = os.environ.get("UV_PROJECT_ENVIRONMENT")
    env = Path(configured) if configured else root / ".venv"
    return (root / env) / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _sync(root: Path, python: str | None) -> str:
    """Install the project from its lock (keeping extra packages); an error, or ""."""
    from scaffolder.project.lock import LOCK_TIMEOUT, describe_failure, uv_binary, uv_environment

    try:
        proc = subprocess.run(
            [uv_binary(), "sync", "--locked", "--inexact", "--quiet"],
            cwd=root,
            env=uv_environment(python),
            capture_output=True,
            text=True,
            timeout=LOCK_TIMEOUT,
            check=False,
        )
    except (OSError, ImportError, subprocess.TimeoutExpired) as exc:
        return f"uv sync could not run ({exc})"
    if proc.returncode != 0:
        return describe_failure(proc.stderr).replace("uv lock", "uv sync")
    return ""


def migration_progress(
    root: Path, package: str, migrate_from: str, python: str | None
) -> MigrationProgress:
    problem = _sync(root, python)
    if problem:
        return MigrationProgress(migrate_from, error=problem)
    # Settings refuse to load without a secret; reading routes needs none of the real one.
    extra = {"SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32)}
    try:
        routes = served_routes(_environment(root), root, package, extra)
    except ProbeFailed as exc:
        return MigrationProgress(migrate_from, error=str(exc))
    return MigrationProgress(migrate_from, routes)


def _route_json(route: LegacyRoute) -> dict[str, Any]:
    return {
        "rule": route.rule,
        "methods": list(route.methods),
        "endpoint": route.endpoint,
        "blueprint": route.blueprint,
        "fastapi": list(route.fastapi),
        "left": list(route.left),
    }


def progress_json(progress: MigrationProgress) -> dict[str, Any]:
    return {
        "migrate_from": progress.migrate_from,
        "error": progress.error or None,
        "legacy_routes": len(progress.routes),
        "served_by_fastapi": len(progress.served),
        "left": len(progress.left),
        "mount_can_go": progress.done,
        "routes": [_route_json(r) for r in progress.routes],
    }


def progress_lines(progress: MigrationProgress) -> list[str]:
    if progress.error:
        return [f"migration from {progress.migrate_from}: routes unknown ({progress.error})"]
    lines = [
        f"migration from {progress.migrate_from}: {len(progress.routes)} legacy routes, "
        f"{len(progress.served)} served by FastAPI, {len(progress.left)} left"
    ]
    for route in progress.left:
        lines.append(f"  left: {', '.join(route.left)} {route.rule} ({route.endpoint})")
    if progress.done:
        lines.append(
            "  every legacy route is served by FastAPI: the Flask mount can go "
            "(fwpick update --set migrate_from=)"
        )
    return lines
