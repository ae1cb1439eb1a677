"""``fwpick new`` on the command line: open the wizard, or decide and write without asking."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scaffolder.decide.answers import Answers, unanswered
from scaffolder.decide.model import RuleSet
from scaffolder.decide.report import format_recommendation, recommendation_to_json
from scaffolder.errors import EXIT_USAGE
from scaffolder.project.filetree import file_tree
from scaffolder.project.interrupt import signal_name
from scaffolder.project.new import create, preview_files
from scaffolder.project.next_steps import created_summary, lock_line, shown_path
from scaffolder.project.plan import ProjectPlan, build_plan

if TYPE_CHECKING:
    from scaffolder.project.render import RenderResult


def run_new(rules: RuleSet, ns: argparse.Namespace, answers: Answers, argv: list[str]) -> int:
    from scaffolder.terminal import not_interactive_reason

    dest = Path(ns.dir)
    reason = not_interactive_reason(force=ns.interactive)
    if ns.interactive and reason is not None:
        sys.stderr.write(f"fwpick new: error: --interactive: {reason}\n")
        return EXIT_USAGE
    if not ns.yes and reason is None and not ns.dry_run and not ns.json:
        from scaffolder.tui.launch import run_wizard

        return run_wizard(
            rules,
            rules_path=ns.rules,
            dest=dest,
            answers=answers,
            templates=Path(ns.templates) if ns.templates else None,
            no_git=ns.no_git,
            no_lock=ns.no_lock,
        )
    if not ns.yes:
        missing = unanswered(rules, answers)
        if missing:
            return _missing_answers(missing, argv, reason or "")
    plan = build_plan(rules, answers, dest, rules_path=ns.rules)
    templates = Path(ns.templates) if ns.templates else None
    return write(
        rules,
        plan,
        dry_run=ns.dry_run,
        as_json=ns.json,
        no_git=ns.no_git,
        no_lock=ns.no_lock,
        overwrite=ns.overwrite,
        templates=templates,
    )


def _missing_answers(missing: list[str], argv: list[str], reason: str) -> int:
    flags = ", ".join(f"--{m.replace('_', '-')}" for m in missing)
    suggestion = shlex.join(["fwpick", "new", *argv, "--yes"])
    why = f"fwpick can't ask: {reason}" if reason else "fwpick was told not to ask"
    sys.stderr.write(
        f"fwpick new: error: {why}, and these criteria are unanswered: {flags}. "
        f"Answer them with flags or --answers FILE, or pass --yes to count them as not sure: "
        f"{suggestion}\n"
    )
    return EXIT_USAGE


def write(
    rules: RuleSet,
    plan: ProjectPlan,
    *,
    dry_run: bool,
    as_json: bool,
    no_git: bool,
    overwrite: bool,
    templates: Path | None = None,
    no_lock: bool = False,
) -> int:
    from scaffolder.project import render

    render.check_destination(plan.dest, overwrite=overwrite)
    label = rules.framework(plan.framework).label
    if dry_run:
        files = preview_files(rules, plan, templates, lock=not no_lock)
        existing = {f for f in files if (plan.dest / f).exists()}
        if as_json:
            print(json.dumps(_result(rules, plan, files, dry_run=True, git=None), indent=2))
        else:
            from scaffolder.terminal import text_width

            print(format_recommendation(rules, plan.recommendation, width=text_width()))
            print(f"\nWould create a {label} project in {plan.dest} ({len(files)} files):\n")
            print(file_tree(str(plan.dest), files, existing))
            print("\nNothing was written (--dry-run).")
        return 0

    from scaffolder.project.interrupt import Interrupted, StopSwitch, deferred_signals

    steps: list[str] = []
    switch = StopSwitch()
    try:
        with deferred_signals(switch):
            result, git_message = create(
                rules,
                plan,
                no_git=no_git,
                overwrite=overwrite,
                templates=templates,
                progress=switch.guard(steps.append),
                lock=not no_lock,
            )
    except Interrupted as exc:
        say(
            f"fwpick new: {exc}: no project was created; {shown_path(plan.dest)} and the "
            "folder around it are as they were.",
            err=True,
        )
        return exc.exit_code
    if not result.lock_done and not no_lock:
        # The project exists; a missing lock is a notice with the fix, not a failure.
        sys.stderr.write(f"fwpick new: {result.lock_message}; run 'uv lock' in the project\n")
    if as_json:
        print(
            json.dumps(
                _result(
                    rules,
                    plan,
                    result.files,
                    dry_run=False,
                    git={"initialized": result.git_done, "message": git_message},
                    overwrite=overwrite,
                )
                | {
                    "lock": {"locked": result.lock_done, "message": result.lock_message},
                    "steps": steps,
                },
                indent=2,
            )
        )
    else:
        say(
            created_summary(
                rules, plan, result.files, git_message, lock_line_of(result), overwrite=overwrite
            )
        )
    if switch.signum is not None:
        say(
            f"fwpick new: {signal_name(switch.signum)} arrived once the project was being "
            "moved into place, so fwpick finished it.",
            err=True,
        )
    return 0


def lock_line_of(result: RenderResult) -> str:
    return lock_line(result.lock_done, result.lock_message)


def say(text: str, *, err: bool = False) -> None:
    """Print, unless the terminal is gone: a closed terminal must not become a crash."""
    stream = sys.stderr if err else sys.stdout
    try:
        stream.write(text + "\n")
        stream.flush()
    except OSError:
        pass


def _result(
    rules: RuleSet,
    plan: ProjectPlan,
    files: list[str],
    *,
    dry_run: bool,
    git: dict[str, object] | None,
    overwrite: bool = False,
) -> dict[str, object]:
    return {
        "framework": plan.framework,
        "recommended": plan.recommendation.framework,
        "override": plan.overridden,
        "path": str(plan.dest),
        "dry_run": dry_run,
        "files": files,
        "answers": {
            **plan.criteria,
            **plan.options,
            "name": plan.name,
            "package": plan.package,
            "description": plan.description,
            "author": plan.author,
            **(
                {"migrate_from": str(plan.legacy.root), "flask_app": plan.flask_app}
                if plan.legacy is not None
                else {}
            ),
        },
        "recommendation": recommendation_to_json(rules, plan.recommendation),
        "git": git,
        "command": plan.command(overwrite=overwrite),
    }
