"""Concurrent async I/O: call several upstreams at once, each with its own timeout."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

Fetch = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class SourceResult:
    name: str
    ok: bool
    value: object | None
    error: str | None
    elapsed_ms: float


async def _run_one(name: str, fetch: Fetch, limit_s: float) -> SourceResult:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(limit_s):
            value = await fetch()
    except TimeoutError:
        return SourceResult(name, False, None, "timeout", _ms(started))
    except Exception as exc:  # one failing upstream must not sink the others
        return SourceResult(name, False, None, type(exc).__name__, _ms(started))
    return SourceResult(name, True, value, None, _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


async def fan_out(sources: Mapping[str, Fetch], limit_s: float = 2.0) -> list[SourceResult]:
    """Run every source concurrently, each limited to `limit_s` seconds.

    The total time is that of the slowest source, not the sum.
    """
    return list(
        await asyncio.gather(*(_run_one(name, fetch, limit_s) for name, fetch in sources.items()))
    )
