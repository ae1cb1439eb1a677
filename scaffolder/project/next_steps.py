"""What to type after a project is created: one text for the command line and the wizard.

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
