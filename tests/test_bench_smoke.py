"""``bench/run`` still works: a quick run of the cheap rows prints a table with ratios.

This checks the harness only. Timings are never asserted: they depend on the machine,
and the benchmark targets are reported in docs/benchmarks.md, not enforced by CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    assert {"metrics-fastapi", "metrics-flask"} <= set(lines)
    groups = dict(g.split("=") for g in lines[-1].removeprefix("groups: ").split(", "))
    assert groups["metrics"] == "metrics-fastapi+metrics-flask"
