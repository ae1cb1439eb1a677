"""Import the Flask app in a subprocess of a project's own environment, with a timeout.

fwpick never imports the app itself: ``legacy_probe`` runs with the project's Python, and
a hang, a crash or a ``sys.exit`` there is one clear message here.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffolder.errors import FwpickError, UsageError

PROBE = Path(__file__).with_name("legacy_probe.py")
IMPORT_TIMEOUT = 60.0
TIMEOUT_VARIABLE = "FWPICK_IMPORT_TIMEOUT"  # seconds; for very slow imports, or tests
TRACEBACK_LINES = 8
# The probe's interpreter must see only the project's packages.
_DROPPED = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH")


@dataclass(frozen=True)
class LegacyRoute:
    rule: str
    methods: tuple[str, ...]
    endpoint: str
    blueprint: str
    arguments: tuple[str, ...]
    fastapi: tuple[str, ...] = ()  # methods FastAPI now answers (progress only)

    @property
    def ported(self) -> bool:
        return bool(self.methods) and set(self.methods) <= set(self.fastapi)

    @property
    def left(self) -> tuple[str, ...]:
        return tuple(m for m in self.methods if m not in self.fastapi)


@dataclass(frozen=True)
class LegacyApp:
    spec: str  # module:attr, or module:factory() for a factory
    routes: list[LegacyRoute] = field(default_factory=list)


class ProbeFailed(FwpickError):
    """The app could not be imported or read; ``kind`` is the probe's reason."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def import_timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_VARIABLE, "") or IMPORT_TIMEOUT)
    except ValueError:
        return IMPORT_TIMEOUT


def _route(data: dict[str, Any]) -> LegacyRoute:
    return LegacyRoute(
        rule=str(data["rule"]),
        methods=tuple(data["methods"]),
        endpoint=str(data["endpoint"]),
        blueprint=str(data["blueprint"]),
        arguments=tuple(data["arguments"]),
        fastapi=tuple(data.get("fastapi", ())),
    )


def run_probe(
    python: Path,
    args: list[str],
    cwd: Path,
    timeout: float,
    extra_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run the probe with ``python`` in its own process group; kill the group on timeout."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED} | (extra_env or {})
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # leave no __pycache__ in the user's projects
    with tempfile.TemporaryDirectory(prefix="fwpick-probe-") as tmp:
        out = Path(tmp) / "result.json"
        # -P: the probe's folder (fwpick's modules) must not shadow the app's imports.
        command = [str(python), "-P", str(PROBE), args[0], str(out), *args[1:]]
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ProbeFailed(
                "timeout",
                f"importing the Flask app took longer than {timeout:.0f} s and was stopped "
                "(does it connect to something at import time, or wait for input?)",
            ) from None
        if not out.is_file():
            raise ProbeFailed(
                "crashed",
                f"importing the Flask app ended the process (exit status {proc.returncode})"
                + _tail(stderr),
            )
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if not result.get("ok"):
        raise ProbeFailed(
            str(result.get("kind", "")), str(result["message"]) + _tail(result.get("traceback", ""))
        )
    return result


def _tail(text: str) -> str:
    lines = [line for line in text.rstrip().splitlines() if line.strip()]
    if not lines:
        return ""
    shown = "\n  ".join(lines[-TRACEBACK_LINES:])
    return f"; the last lines of its output:\n  {shown}"


def discover(python: Path, cwd: Path, spec: str, modules: tuple[str, ...]) -> LegacyApp:
    """Find the app as ``flask`` does and read its routes; a refusal is a usage error."""
    try:
        result = run_probe(python, ["discover", spec, *modules], cwd, import_timeout())
    except ProbeFailed as exc:
        raise UsageError(f"--migrate-from: {exc}") from None
    return LegacyApp(str(result["spec"]), [_route(r) for r in result["routes"]])


def served_routes(
    python: Path, project: Path, package: str, extra_env: dict[str, str]
) -> list[LegacyRoute]:
    """Every legacy route with the methods FastAPI's router now answers itself."""
    if not python.exists():
        raise ProbeFailed("no_environment", f"the project has no environment at {python}")
    result = run_probe(python, ["progress", package], project, import_timeout(), extra_env)
    return [_route(r) for r in result["routes"]]
