"""Decide whether fwpick may start the interactive wizard."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO


def is_interactive(
    env: Mapping[str, str] | None = None,
    streams: tuple[TextIO, TextIO] | None = None,
) -> bool:
    """True only when stdin and stdout are terminals, ``TERM`` isn't dumb and ``CI`` is unset.

    Textual does not refuse to start without a terminal: it writes escape codes and
    waits for input forever, so this check is what keeps CI from hanging.
    """
    env = os.environ if env is None else env
    stdin, stdout = streams if streams is not None else (sys.stdin, sys.stdout)
    if env.get("CI") or env.get("TERM") == "dumb":
        return False
    try:
        return stdin.isatty() and stdout.isatty()
    except (AttributeError, ValueError):
        return False
