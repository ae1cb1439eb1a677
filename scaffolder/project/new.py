"""Write a planned project to disk, or list the files it would write."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scaffolder.decide.model import RuleSet
from scaffolder.project.adr import ADR_PATH, decision_record
from scaffolder.project.plan import ProjectPlan
from scaffolder.project.template_store import store_for

if TYPE_CHECKING:
    from scaffolder.project.render import Progress, RenderResult


def git_step(plan: ProjectPlan, *, no_git: bool) -> tuple[str, bool]:
    """Whether to run git, and the message to show when it is skipped."""
    from scaffolder.project.git import git_available, inside_work_tree

    if no_git:
        return "git skipped (--no-git)", False
    if not git_available():
        return "git is not installed, so the project was not put under version control", False
    if inside_work_tree(plan.dest.parent if not plan.dest.exists() else plan.dest):
        return (
            f"{plan.dest} is inside a git work tree, so fwpick did not run git init; "
            "commit the new files there yourself"
        ), False
    if plan.dest.is_dir() and any(plan.dest.iterdir()):
        return (f"{plan.dest} already had files, so fwpick did not run git init"), False
    return "", True


def create(
    rules: RuleSet,
    plan: ProjectPlan,
    *,
    no_git: bool,
    overwrite: bool,
    templates: Path | None = None,
    progress: Progress | None = None,
    lock: bool = True,
) -> tuple[RenderResult, str]:
    """Write the project with its decision record and git history; the one path to disk.

    Returns the render result and what happened with git.
    """
    from scaffolder.project import render

    label = rules.framework(plan.framework).label
    skip_message, run_git = git_step(plan, no_git=no_git)

    def git(path: Path) -> tuple[bool, str]:
        from scaffolder.project.git import init_and_commit

        result = init_and_commit(path, f"Create {plan.name} with fwpick ({label})")
        return result.done, result.message

    def lock_dependencies(path: Path) -> tuple[bool, str]:
        from scaffolder.project.lock import lock as uv_lock

        python = plan.options.get("python")
        outcome = uv_lock(path, minimum_python=python if isinstance(python, str) else None)
        return outcome.locked, outcome.message

    inspect = None
    if plan.legacy is not None:
        from scaffolder.project.bridge import inspector, require_lock

        require_lock(lock=lock)
        inspect = inspector(rules, plan)
    store = store_for(plan.framework, templates)
    result = render.write_project(
        store.template(plan.framework),
        plan.dest,
        plan.template_data(rules, store.version),
        {ADR_PATH: decision_record(rules, plan)},
        overwrite=overwrite,
        git=git if run_git else None,
        lock=lock_dependencies if lock else None,
        progress=progress,
        inspect=inspect,
    )
    return result, (result.git_message if run_git else skip_message)


def preview_files(
    rules: RuleSet, plan: ProjectPlan, templates: Path | None = None, *, lock: bool = True
) -> list[str]:
    """Exactly the files ``create`` would write, rendered away from the destination.

    The lock file is listed without running uv: previews must stay fast and offline.
    """
    from scaffolder.project import render
    from scaffolder.project.lock import LOCK_FILE

    store = store_for(plan.framework, templates)
    extra = [ADR_PATH, LOCK_FILE] if lock else [ADR_PATH]
    if plan.legacy is not None:
        from scaffolder.project.bridge import MIGRATION_DOC

        extra.append(MIGRATION_DOC)
    return render.preview(
        store.template(plan.framework), plan.template_data(rules, store.version), extra
    )
