"""Start the wizard from the command line, and print the equivalent command afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

from scaffolder.decide.answers import Answers
from scaffolder.decide.model import RuleSet


def run_wizard(
    rules: RuleSet,
    *,
    rules_path: str | None,
    dest: Path | None = None,
    answers: Answers | None = None,
    templates: Path | None = None,
    no_git: bool = False,
    no_lock: bool = False,
) -> int:
    """Run the wizard; return its exit code (0 created, 1 error, 130 cancelled)."""
    from scaffolder.tui.app import FwpickApp

    app = FwpickApp(
        rules,
        rules_path=rules_path,
        dest=dest,
        answers=answers,
        templates=templates,
        no_git=no_git,
        no_lock=no_lock,
    )
    app.run()
    # Printed after Textual has restored the terminal, so it stays in the scrollback.
    if app.crashed is not None:
        sys.stderr.write(f"fwpick: error: {type(app.crashed).__name__}: {app.crashed}\n")
    created = app.created
    if created is not None:
        label = rules.framework(created.plan.framework).label
        print(f"Created a {label} project in {created.plan.dest} ({len(created.files)} files).")
        print(f"  {created.git_message}")
        print("\nTo create it again:")
        print(f"  {created.plan.command()}")
    else:
        command = app.command() if app.state.has_answers else None
        if command is not None:
            print("No project was created. To create it without the wizard:")
            print(f"  {command}")
    code = app.return_code
    return code if code is not None else 1
