"""Plan and stage a FastAPI project that serves an existing Flask app while it is ported.

``build_plan`` calls the checks that need only files; ``new.create`` passes ``inspector``
to the renderer, which runs it on the staged, locked project: it installs that project's
own environment, imports the Flask app there (``legacy_routes``) and adds the migration
plan. Any refusal happens before the move, so nothing is written.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from scaffolder.decide.answers import Answers
from scaffolder.decide.model import NOT_SURE, RuleSet
from scaffolder.errors import RenderError, UsageError
from scaffolder.project.legacy import (
    LegacyProject,
    check_flask_app,
    find_legacy_project,
    source_path,
)
from scaffolder.project.legacy_routes import LegacyApp, discover

if TYPE_CHECKING:
    from scaffolder.project.plan import ProjectPlan
    from scaffolder.project.render import Inspect

FRAMEWORK = "fastapi"  # only the FastAPI template can mount a Flask app
CRITERION, ANSWER = "existing_codebase", "flask"
MIGRATION_DOC = "docs/migration.md"


def migration_criteria(rules: RuleSet, criteria: dict[str, str]) -> dict[str, str]:
    """A migration extends a Flask codebase: say so when the answers did not."""
    if CRITERION not in {c.id for c in rules.criteria}:
        return criteria
    answer = criteria.get(CRITERION, NOT_SURE)
    if answer == NOT_SURE and ANSWER in rules.criterion(CRITERION).choice_ids:
        return {**criteria, CRITERION: ANSWER}
    if answer != ANSWER:
        raise UsageError(
            f"--migrate-from ports an existing Flask codebase, but {CRITERION} is {answer}; "
            f"answer {ANSWER} or leave it out"
        )
    return criteria


def check_migration(
    rules: RuleSet, answers: Answers, dest: Path, framework: str, package: str
) -> LegacyProject:
    """Everything about ``--migrate-from`` that can be checked without running its code."""
    if framework != FRAMEWORK:
        how = (
            "not --framework flask"
            if answers.project.get("framework")
            else (f"the rules recommend {rules.framework(framework).label} for these answers")
        )
        raise UsageError(
            "--migrate-from makes a FastAPI project that serves the Flask app while it is "
            f"ported: pass --framework fastapi ({how})"
        )
    legacy = find_legacy_project(answers.project["migrate_from"])
    source_path(legacy.root, dest)
    spec = answers.project.get("flask_app", "")
    if spec:
        check_flask_app(spec)
    tops = {m.split(".")[0] for m in legacy.modules}
    tops.add((spec or legacy.flask_app_hint).split(":")[0].split(".")[0])
    if package in tops:
        raise UsageError(
            f"--migrate-from: the Flask project's package is also called {package!r}; give "
            "the new project another one with --package"
        )
    if _normalized(legacy.distribution) == _normalized(package):
        raise UsageError(
            f"--migrate-from: the Flask project is distributed as {legacy.distribution!r}, "
            "the name the new project would get; choose another with --package"
        )
    return legacy


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def migration_answers(legacy: LegacyProject, dest: Path, flask_app: str) -> dict[str, object]:
    """The Copier answers of a bridge (docs/template-contract.md).

    Until the app is found, ``flask_app`` is the best guess; ``inspector`` renders again
    with the app it found.
    """
    spec = flask_app or legacy.flask_app_hint or (legacy.modules[:1] or ("app",))[0]
    return {
        "migrate_from": source_path(legacy.root, dest),
        "flask_app": spec if ":" in spec else f"{spec}:app",
        "legacy_distribution": legacy.distribution,
    }


def require_lock(*, lock: bool) -> None:
    if not lock:
        raise UsageError(
            "--migrate-from needs the lock step: the Flask app is checked in the new "
            "project's own environment, installed from uv.lock (drop --no-lock)"
        )


def sync_environment(project: Path, env_dir: Path, minimum_python: str | None) -> Path:
    """Install the staged project's locked runtime dependencies into ``env_dir``."""
    from scaffolder.project.lock import LOCK_TIMEOUT, describe_failure, uv_binary, uv_environment

    env = uv_environment(minimum_python)
    env["UV_PROJECT_ENVIRONMENT"] = str(env_dir)
    command = [uv_binary(), "sync", "--locked", "--no-dev", "--no-install-project", "--quiet"]
    try:
        proc = subprocess.run(
            command,
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=LOCK_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"uv sync took longer than {LOCK_TIMEOUT:.0f} s and was stopped"
        ) from None
    if proc.returncode != 0:
        message = describe_failure(proc.stderr, "uv sync")
        raise UsageError(f"--migrate-from: installing the Flask project failed: {message}")
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def inspector(rules: RuleSet, plan: ProjectPlan) -> Inspect:
    """The renderer's ``inspect`` step for a bridge (see ``render.Inspect``)."""
    from scaffolder.project.migration_plan import migration_doc

    legacy = plan.legacy
    if legacy is None:
        raise ValueError("not a migration")
    python = plan.options.get("python")

    def inspect(
        out: Path, locked: bool, lock_message: str
    ) -> tuple[dict[str, object], dict[str, str]]:
        if not locked:
            error = RenderError if "package index" in lock_message else UsageError
            raise error(
                "--migrate-from: the Flask app is checked in the new project's own "
                f"environment, which needs a lock: {lock_message}"
            )
        guess = migration_answers(legacy, plan.dest, plan.flask_app)
        with tempfile.TemporaryDirectory(prefix="fwpick-env-") as env_dir:
            interpreter = sync_environment(
                out, Path(env_dir), python if isinstance(python, str) else None
            )
            found: LegacyApp = discover(
                interpreter, out, plan.flask_app or legacy.flask_app_hint, legacy.modules
            )
        changed: dict[str, object] = {}
        if found.spec != guess["flask_app"]:
            changed["flask_app"] = found.spec
        doc = migration_doc(rules, plan, str(guess["migrate_from"]), found)
        return changed, {MIGRATION_DOC: doc}

    return inspect
