"""``fwpick new`` on the command line: open the wizard, or decide and write without asking."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from scaffolder.decide.answers import Answers, unanswered
from scaffolder.decide.model import RuleSet
from scaffolder.decide.report import format_recommendation, recommendation_to_json
from scaffolder.errors import EXIT_USAGE
from scaffolder.project.adr import ADR_PATH
from scaffolder.project.filetree import file_tree
from scaffolder.project.new import create, preview_files
from scaffolder.project.plan import ProjectPlan, build_plan


def run_new(rules: RuleSet, ns: argparse.Namespace, answers: Answers, argv: list[str]) -> int:
    from scaffolder.terminal import is_interactive

    dest = Path(ns.dir)
    if not ns.yes and is_interactive() and not ns.dry_run and not ns.json:
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
            return _missing_answers(rules, missing, argv)
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


def _missing_answers(rules: RuleSet, missing: list[str], argv: list[str]) -> int:
    flags = ", ".join(f"--{m.replace('_', '-')}" for m in missing)
    suggestion = shlex.join(["fwpick", "new", *argv, "--yes"])
    sys.stderr.write(
        "fwpick new: error: no interactive terminal to ask in (or CI is set), and these "
        f"criteria are unanswered: {flags}. "
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
        files = preview_files(rules, plan, templates)
        existing = {f for f in files if (plan.dest / f).exists()}
        if as_json:
            print(json.dumps(_result(rules, plan, files, dry_run=True, git=None), indent=2))
        else:
            print(format_recommendation(rules, plan.recommendation))
            print(f"\nWould create a {label} project in {plan.dest} ({len(files)} files):\n")
            print(file_tree(str(plan.dest), files, existing))
            print("\nNothing was written (--dry-run).")
        return 0

    steps: list[str] = []
    result, git_message = create(
        rules,
        plan,
        no_git=no_git,
        overwrite=overwrite,
        templates=templates,
        progress=steps.append,
        lock=not no_lock,
    )
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
                )
                | {
                    "lock": {"locked": result.lock_done, "message": result.lock_message},
                    "steps": steps,
                },
                indent=2,
            )
        )
    else:
        note = (
            " (override: the rules recommended "
            f"{rules.framework(plan.recommendation.framework).label})"
            if plan.overridden
            else ""
        )
        print(f"Created a {label} project{note} in {plan.dest} ({len(result.files)} files).")
        print(f"  {git_message}")
        print("  uv.lock written (uv lock)" if result.lock_done else f"  {result.lock_message}")
        print(f"  Why {label}: see {ADR_PATH}")
        print("\nNext steps:")
        print(f"  cd {shlex.quote(str(plan.dest))}")
        if "Makefile" in result.files:
            print("  make install && make check")
        print("\nTo create it again:")
        print(f"  {plan.command()}")
    return 0


def _result(
    rules: RuleSet,
    plan: ProjectPlan,
    files: list[str],
    *,
    dry_run: bool,
    git: dict[str, object] | None,
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
        },
        "recommendation": recommendation_to_json(rules, plan.recommendation),
        "git": git,
        "command": plan.command(),
    }
