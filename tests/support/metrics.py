"""Scrape a served project's ``/metrics`` and check the request series both templates expose."""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

SAMPLE = re.compile(r"^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def exposition_samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Prometheus text exposition: each sample's value by name and sorted labels."""
    found = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if match and not line.startswith("#"):
            labels = tuple(sorted(LABEL.findall(match.group(2) or "")))
            found[(match.group(1), labels)] = float(match.group(3))
    return found


def scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """One scrape, by the pod's address (not a host name in ALLOWED_HOSTS), as Prometheus does."""
    request = urllib.request.Request(f"{base}/metrics", headers={"Host": "10.1.2.3:8000"})
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.headers["Content-Type"].startswith("text/plain")
        return exposition_samples(resp.read().decode())


def check_metrics(base: str, access_log: Path | None = None) -> None:
    """Several workers, one exposition: every worker's requests are counted, by route template.

    With ``access_log`` (a file the server writes its access log to), scrapes must not be in it.
    """
    served = 20
    for _ in range(served):
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as resp:
            assert resp.status == 200
    healthz = (("method", "GET"), ("route", "/healthz"))
    counted = ("http_requests_total", (*healthz, ("status", "200")))
    timed = ("http_request_duration_seconds_count", healthz)
    # A request still running in some worker (a first request warming up, or a probe of
    # serving() whose client gave up) is in flight until it ends; one that never ends is not.
    # A worker writes its counts and latencies for other workers' scrapes within a second.
    deadline = time.monotonic() + 15
    while True:
        series = scrape(base)
        in_flight = {
            labels: n for (name, labels), n in series.items() if name.endswith("_in_progress")
        }
        written = min(series.get(counted, 0), series.get(timed, 0))
        settled = in_flight.get(healthz) == 0 and written >= served
        if settled or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert in_flight.get(healthz) == 0, in_flight
    # The probes serving() sent while waiting for the server count too.
    assert series[counted] >= served
    assert series[timed] >= served
    # Scrapes are not requests of the service.
    assert not any(("route", "/metrics") in labels for _, labels in series)
    if access_log is not None:
        logged = access_log.read_text(encoding="utf-8")
        assert "/healthz" in logged
        assert "/metrics" not in logged
