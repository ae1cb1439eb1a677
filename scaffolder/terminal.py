"""Decide whether fwpick may start the interactive wizard, and say why not when it can't."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

TRUTHY = ("1", "true", "yes")


def ci_is_set(env: Mapping[str, str]) -> bool:
    """Only a truthy ``CI`` means CI: ``CI=false`` or ``CI=0`` is a person's terminal."""
    return env.get("CI", "").strip().lower() in TRUTHY


def not_interactive_reason(
    env: Mapping[str, str] | None = None,
    streams: tuple[TextIO, TextIO] | None = None,
    *,
    force: bool = False,
) -> str | None:
    """Why the wizard can't start here, or None when it can.

    Textual does not refuse to start without a terminal: it writes escape codes and
    waits for input forever, so this check is what keeps CI from hanging. ``force``
    (``--interactive``) overrides CI and ``TERM=dumb``, never a missing terminal.
    """
    env = os.environ if env is None else env
    stdin, stdout = streams if streams is not None else (sys.stdin, sys.stdout)
    try:
        ttys = stdin.isatty() and stdout.isatty()
    except (AttributeError, ValueError):
        ttys = False
    if not ttys:
        return "there is no interactive terminal (input or output is redirected)"
    if force:
        return None
    if ci_is_set(env):
        return f"CI is set (CI={env.get('CI')}); pass --interactive to open the wizard anyway"
    if env.get("TERM") == "dumb":
        return (
            "this terminal (TERM=dumb) cannot draw the wizard; set TERM (e.g. xterm-256color) "
            "or pass --interactive to try anyway"
        )
    return None


def is_interactive(
    env: Mapping[str, str] | None = None,
    streams: tuple[TextIO, TextIO] | None = None,
    *,
    force: bool = False,
) -> bool:
    """True only when both streams are terminals, ``TERM`` isn't dumb and CI isn't set."""
    return not_interactive_reason(env, streams, force=force) is None


def text_width(limit: int = 120) -> int:
    """The width to wrap plain output to: the terminal's (``COLUMNS`` counts), at most
    ``limit`` for readability, 100 when output is not a terminal."""
    import shutil

    return max(40, min(shutil.get_terminal_size((100, 24)).columns - 1, limit))
