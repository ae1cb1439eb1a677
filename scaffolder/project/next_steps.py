"""What to tell a person once a project exists: one text for the command line and the wizard.

The commands must work on this machine. The generated Makefile calls ``$(UV)``
(default ``uv``); when no ``uv`` is on PATH, fwpick's own copy (the ``uv`` package it
depends on) runs as ``python -m uv``.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from scaffolder.decide.model import RuleSet
from scaffolder.project.adr import ADR_PATH
from scaffolder.project.plan import ProjectPlan


def shown_path(path: Path, cwd: Path | None = None) -> str:
    """A path to type from ``cwd``: relative when inside it, otherwise absolute."""
    here = (cwd or Path.cwd()).resolve()
    target = path.expanduser().resolve()
    try:
        rel = target.relative_to(here)
    except ValueError:
        return str(target)
    return str(rel) if str(rel) != "." else "."


def _has_uv_module() -> bool:
    import importlib.util

    return importlib.util.find_spec("uv") is not None


def next_steps(
    dest: Path,
    files: Sequence[str],
    *,
    cwd: Path | None = None,
    which: Callable[[str], str | None] = shutil.which,
    has_uv_module: Callable[[], bool] = _has_uv_module,
    python: str = sys.executable,
) -> list[str]:
    """The commands that install and check the new project, one per line."""
    steps = [f"cd {shlex.quote(shown_path(dest, cwd))}"]
    if "Makefile" not in files:
        return steps
    if which("uv"):
        steps.append("make install && make check")
    elif has_uv_module():
        steps.append(f"make install check UV={shlex.quote(f'{python} -m uv')}")
    else:
        steps += [
            f"{shlex.quote(python)} -m pip install uv  # puts uv on PATH",
            "make install && make check",
        ]
    return steps


def lock_line(locked: bool, message: str) -> str:
    """One line on the lock: written, or why not and how to make it later."""
    if locked:
        return "uv.lock written (uv lock)"
    return f"{message}; run 'uv lock' in the project to write it"


def created_summary(
    rules: RuleSet,
    plan: ProjectPlan,
    files: list[str],
    git_message: str,
    lock_message: str,
    *,
    overwrite: bool,
) -> str:
    """What a person needs after a run: where, why, next steps, and how to do it again."""
    label = rules.framework(plan.framework).label
    note = (
        f" (an override: the rules recommended "
        f"{rules.framework(plan.recommendation.framework).label})"
        if plan.overridden
        else ""
    )
    lines = [
        f"Created a {label} project{note} in {plan.dest.expanduser().resolve()} "
        f"({len(files)} files).",
        f"  {git_message}",
        f"  {lock_message}",
        f"  Why {label}: see {ADR_PATH}",
        "",
        "Next steps:",
        *(f"  {step}" for step in next_steps(plan.dest, files)),
        "",
        "To create it again:",
        f"  {plan.command(overwrite=overwrite)}",
    ]
    return "\n".join(lines)
