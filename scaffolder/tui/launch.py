"""Start the wizard from the command line, and print the equivalent command afterwards."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scaffolder.decide.answers import Answers
from scaffolder.decide.model import RuleSet

if TYPE_CHECKING:
    from scaffolder.tui.app import FwpickApp


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
    for line in farewell(app):
        say(line)
    code = app.return_code
    return code if code is not None else 1


def farewell(app: FwpickApp) -> list[str]:
    """One true line on whether a project was created, and where; then what helps next."""
    from scaffolder.project.interrupt import signal_name

    created = app.created
    if created is not None:
        lines = [created.summary(app.state.rules)]
        if app.stopped_by is not None:
            lines.append(
                f"({signal_name(app.stopped_by)} arrived once the project was being moved "
                "into place, so fwpick finished it.)"
            )
        return lines
    where = str(app.state.dest_path.resolve())
    if app.crashed is not None:
        head = f"fwpick: error: {type(app.crashed).__name__}: {app.crashed}"
        lines = [f"{head}\nNo project was created; {where} is as it was."]
    elif app.stopped_by is not None:
        lines = [
            f"fwpick: interrupted by {signal_name(app.stopped_by)}: no project was created; "
            f"{where} is as it was."
        ]
    else:
        lines = [f"No project was created (you quit the wizard); {where} is as it was."]
    command = app.command() if app.state.has_answers else None
    if command is not None:
        lines.append(f"To create it without the wizard:\n  {command}")
    return lines


def say(text: str) -> None:
    """Print, unless the terminal is gone (it was closed): that must not become a crash."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except OSError:
        pass
