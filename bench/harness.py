"""Shared pieces of ``bench/run``: where things are, how to time a command, the result table.

Plain standard library. Every timing is wall-clock time from ``time.perf_counter``;
a row's value is the median of its runs after the warm-up runs.
"""

from __future__ import annotations

import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

Kind = Literal["ratio_max", "ratio_min", "abs_max", "ratio_only"]
Status = Literal["ok", "skipped", "error"]


class BenchError(Exception):
    """A measurement could not be taken; the row reports the message."""


@dataclass
class Row:
    """One line of the table.

    ``kind`` says how the target reads: ``ratio_max`` means value/peer must be at most
    ``limit`` (times), ``ratio_min`` means value/peer must be at least ``limit``
    (throughput), ``abs_max`` means the value itself must be at most ``limit``, and
    ``ratio_only`` is a reference with a ratio and no target.
    """

    key: str
    measured: str
    against: str
    unit: str
    kind: Kind
    limit: float
    target: str
    value: float | None = None
    peer: float | None = None
    runs: int = 0
    samples: list[float] = field(default_factory=list)
    peer_samples: list[float] = field(default_factory=list)
    cpu: float | None = None  # median CPU seconds (user + system) of the command
    peer_cpu: float | None = None
    status: Status = "ok"
    note: str = ""

    @property
    def cpu_ratio(self) -> float | None:
        if self.cpu is None or not self.peer_cpu:
            return None
        return self.cpu / self.peer_cpu

    @property
    def ratio(self) -> float | None:
        if self.kind == "abs_max" or self.value is None or not self.peer:
            return None
        return self.value / self.peer

    @property
    def met(self) -> bool | None:
        if self.status != "ok" or self.value is None or self.kind == "ratio_only":
            return None
        if self.kind == "abs_max":
            return self.value <= self.limit
        ratio = self.ratio
        if ratio is None:
            return None
        return ratio <= self.limit if self.kind == "ratio_max" else ratio >= self.limit

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["met"] = self.met
        data["cpu_ratio"] = self.cpu_ratio
        return data


# ---------------------------------------------------------------------------------------
# Commands and environments
# ---------------------------------------------------------------------------------------


def venv_bin() -> Path:
    """The bin directory of the interpreter running the benchmarks (fwpick's venv)."""
    return Path(sys.executable).parent


def fwpick_command() -> tuple[list[str], str]:
    """How to run fwpick: the console script when installed, else ``python -m scaffolder``."""
    script = venv_bin() / "fwpick"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)], "fwpick (console script)"
    found = shutil.which("fwpick")
    if found:
        return [found], "fwpick (console script)"
    return [sys.executable, "-m", "scaffolder"], "python -m scaffolder (fwpick is not installed)"


def copier_command() -> list[str]:
    script = venv_bin() / "copier"
    if script.is_file():
        return [str(script)]
    found = shutil.which("copier")
    if found:
        return [found]
    raise BenchError("the copier command is not installed next to this Python")


def cli_env(cache_home: Path) -> dict[str, str]:
    """The environment for fwpick and copier: a private cache, no colour, repo importable.

    ``XDG_CACHE_HOME`` points at the benchmark's own directory, so fwpick's rules cache is
    warmed by the warm-up runs and no user cache is read or written.
    """
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(cache_home)
    env["NO_COLOR"] = "1"
    env.pop("FWPICK_NO_CACHE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def run_checked(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run a command, raising :class:`BenchError` with its output if it fails."""
    try:
        proc = subprocess.run(
            list(argv),
            env=dict(env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{short(argv)} took more than {timeout:.0f} s") from exc
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise BenchError(f"{short(argv)} exited {proc.returncode}: {' / '.join(tail)}")
    return proc


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    timeout: float = 120,
    cpu: list[float] | None = None,
) -> float:
    """Wall time of one run of a command, in seconds (it must succeed).

    With ``cpu``, the command's CPU time (user + system, its children included) is appended
    to it: unlike wall time it hardly moves when other work competes for the processors.
    """
    cpu_start = children_cpu()
    start = time.perf_counter()
    run_checked(argv, env=env, cwd=cwd, timeout=timeout)
    wall = time.perf_counter() - start
    if cpu is not None:
        cpu.append(children_cpu() - cpu_start)
    return wall


def short(argv: Sequence[str]) -> str:
    shown = [Path(a).name if os.sep in a and i == 0 else a for i, a in enumerate(argv)]
    text = " ".join(shown)
    return text if len(text) <= 80 else text[:77] + "..."


def interleaved(
    first: Callable[[], float],
    second: Callable[[], float] | None,
    *,
    runs: int,
    warmup: int,
) -> tuple[list[float], list[float]]:
    """Run ``first`` and ``second`` alternately, so drift in machine load hits both alike.

    The first ``warmup`` rounds are thrown away. Returns the kept samples of each.
    """
    a: list[float] = []
    b: list[float] = []
    for round_no in range(warmup + runs):
        x = first()
        y = second() if second is not None else None
        if round_no >= warmup:
            a.append(x)
            if y is not None:
                b.append(y)
    return a, b


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


# ---------------------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else platform.processor() or "unknown"


def tool_version(argv: Sequence[str]) -> str:
    try:
        proc = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def machine() -> dict[str, str]:
    """What the numbers were measured on; no host names or paths."""
    return {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count() or "unknown"),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average": load_average(),
    }


def load_average() -> str:
    """The 1/5/15-minute load averages: other work on the machine skews every number."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def fmt_ratio(row: Row) -> str:
    ratio = row.ratio
    if ratio is None:
        return "-"
    if row.kind == "ratio_max" and ratio < 0.5:
        return f"{ratio:.3f} (1/{1 / ratio:.1f})"
    return f"{ratio:.3f}"


def fmt_met(row: Row) -> str:
    if row.status == "skipped":
        return "skipped"
    if row.status == "error":
        return "error"
    met = row.met
    if met is None:
        return "-"
    return "yes" if met else "**no**"


def table(rows: Sequence[Row]) -> str:
    """A Markdown table, also readable in a terminal."""
    header = [
        "measured", "median", "against", "median", "ratio", "target", "met", "runs", "CPU ratio",
    ]  # fmt: skip
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(["---"] * len(header)) + " |",
    ]
    for row in rows:
        cells = [
            row.measured,
            fmt_value(row.value, row.unit),
            row.against,
            fmt_value(row.peer, row.unit) if row.against != "-" else "-",
            fmt_ratio(row),
            row.target,
            fmt_met(row),
            str(row.runs) if row.runs else "-",
            f"{row.cpu_ratio:.3f}" if row.cpu_ratio is not None else "-",
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def notes(rows: Sequence[Row]) -> str:
    out = [f"- {row.measured}: {row.note}" for row in rows if row.note]
    return "\n".join(out)
