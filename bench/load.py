"""Throughput: start a server on 127.0.0.1, drive it with wrk, stop it.

Only loopback addresses are used, and every load run is bounded in time (wrk's
``--duration``) and wrapped in a subprocess timeout.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness import BenchError

HOST = "127.0.0.1"


@dataclass(frozen=True)
class LoadSettings:
    duration: float  # seconds per wrk run
    connections: int
    threads: int
    warmup: float  # seconds of load thrown away after a server starts


@dataclass(frozen=True)
class LoadResult:
    rps: float
    requests: int
    errors: int  # socket errors plus non-2xx/3xx responses


def wrk_path() -> str | None:
    return shutil.which("wrk") or (("/usr/bin/wrk") if Path("/usr/bin/wrk").is_file() else None)


def cpu_split() -> tuple[set[int], set[int]] | None:
    """CPUs for the load generator and for the servers: apart, so neither steals the other's.

    Unpinned, the scheduler moves wrk and the server between the same few cores and a run's
    throughput swings by a third; pinned, both sides of a pair run alike. None with one CPU.
    """
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None
    if len(cpus) < 2:
        return None
    return {cpus[0]}, set(cpus[1:])


def _pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextlib.contextmanager
def serving(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    port: int,
    log: Path,
    timeout: float = 60,
) -> Iterator[str]:
    """Start a server in its own process group, wait for ``/healthz``, yield its URL."""
    url = f"http://{HOST}:{port}/healthz"
    split = cpu_split()
    with log.open("w", encoding="utf-8") as log_fh:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log_fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_pinned(split[1] if split else None),
        )
        try:
            deadline = time.monotonic() + timeout
            while not _healthy(url):
                if proc.poll() is not None:
                    tail = log.read_text(encoding="utf-8", errors="replace").strip()
                    last = " / ".join(tail.splitlines()[-3:])
                    raise BenchError(f"server exited {proc.returncode}: {last}")
                if time.monotonic() > deadline:
                    raise BenchError(f"server did not answer /healthz within {timeout:.0f} s")
                time.sleep(0.1)
            yield url
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server we started: its own process group (gunicorn's workers included)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # Workers that outlived their master (should not happen) go too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


_RPS = re.compile(r"^Requests/sec:\s*([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ", re.MULTILINE)
_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def _wrk_argv(binary: str, url: str, settings: LoadSettings, seconds: int) -> list[str]:
    return [
        binary,
        f"--threads={settings.threads}",
        f"--connections={settings.connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        url,
    ]


def _parse(out: str, err: str, returncode: int) -> LoadResult:
    match = _RPS.search(out)
    if returncode != 0 or match is None:
        raise BenchError(f"wrk failed: {(err or out).strip()[-300:]}")
    total = _TOTAL.search(out)
    errors = sum(int(n) for n in _NON2XX.findall(out))
    sock = _SOCKET.search(out)
    if sock:
        errors += sum(int(n) for n in sock.groups())
    return LoadResult(
        rps=float(match.group(1)), requests=int(total.group(1)) if total else 0, errors=errors
    )


def wrk(url: str, settings: LoadSettings, duration: float | None = None) -> LoadResult:
    """One bounded wrk run against ``url``."""
    return wrk_together([url], settings, duration)[0]


def wrk_together(
    urls: Sequence[str], settings: LoadSettings, duration: float | None = None
) -> list[LoadResult]:
    """One bounded wrk run per URL, all at the same time; results in the order of ``urls``.

    Servers that share a CPU and are loaded at once split it between them, so whatever
    slows the machine during a round (other tenants, frequency changes) slows every side
    alike and their ratio holds; loaded one after the other, identical servers differed by
    up to a quarter from round to round on a shared two-core machine.
    """
    binary = wrk_path()
    if binary is None:
        raise BenchError("wrk is not installed")
    seconds = max(1, round(duration if duration is not None else settings.duration))
    split = cpu_split()
    procs = [
        subprocess.Popen(
            _wrk_argv(binary, url, settings, seconds),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            preexec_fn=_pinned(split[0] if split else None),
        )
        for url in urls
    ]
    results: list[LoadResult] = []
    try:
        for proc in procs:
            try:
                out, err = proc.communicate(timeout=seconds + 30)
            except subprocess.TimeoutExpired as exc:
                raise BenchError("wrk did not finish in time") from exc
            results.append(_parse(out, err, proc.returncode))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return results
