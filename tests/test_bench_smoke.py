"""``bench/run`` still works: a quick run of the cheap rows prints a table with ratios.

This checks the harness only. Timings are never asserted: they depend on the machine,
and the benchmark targets are reported in docs/benchmarks.md, not enforced by CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RUN = REPO / "bench" / "run"


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), "--quick", "--only", "help,recommend", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_quick_run_prints_a_table_with_ratio_columns() -> None:
    proc = run_bench()
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| measured"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    assert columns[:7] == ["measured", "median", "against", "median", "ratio", "target", "met"]
    rows = [line for line in lines if line.startswith("| `fwpick")]
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[2] == "`copier --help`"
        float(cells[4].split()[0])  # a number, whatever its value
        assert cells[5] == "≤ 1/6"
        assert cells[6] in {"yes", "**no**"}


def test_quick_run_json_has_ratios() -> None:
    proc = run_bench("--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["plan"]["quick"] is True
    assert {"cpu", "cores", "python"} <= set(data["machine"])
    rows = {row["key"]: row for row in data["rows"]}
    assert set(rows) == {"help", "recommend"}
    for row in rows.values():
        assert row["status"] == "ok", row["note"]
        assert row["value"] > 0 and row["peer"] > 0
        assert isinstance(row["ratio"], float)
        assert isinstance(row["met"], bool)


def test_list_names_the_metrics_rows_and_group() -> None:
    proc = subprocess.run(
        [sys.executable, str(RUN), "--list"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert {"metrics-fastapi", "metrics-flask", "headers-fastapi", "headers-flask"} <= set(lines)
    groups = dict(g.split("=") for g in lines[-1].removeprefix("groups: ").split(", "))
    assert groups["metrics"] == "metrics-fastapi+metrics-flask"
    assert groups["headers"] == "headers-fastapi+headers-flask"
    assert {"metrics-fastapi", "headers-flask"} <= set(groups["rps"].split("+"))


def test_a_reference_row_has_a_ratio_and_no_verdict() -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import harness
    finally:
        sys.path.remove(str(REPO / "bench"))
    row = harness.Row(
        key="headers-fastapi",
        measured="with headers",
        against="bare",
        unit="req/s",
        kind="ratio_only",
        limit=0.0,
        target="- (reference)",
        value=90.0,
        peer=100.0,
    )
    assert row.ratio == pytest.approx(0.9)
    assert row.met is None
    [line] = [ln for ln in harness.table([row]).splitlines() if ln.startswith("| with headers")]
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    assert cells[4:7] == ["0.900", "- (reference)", "-"]
