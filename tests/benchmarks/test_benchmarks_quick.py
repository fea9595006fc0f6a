"""``python -m benchmarks --quick`` runs end to end and produces every row (never judges speed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUICK_ROWS = [
    "closed loop, 50 users, req/s",
    "closed loop, generator CPU µs per request",
    "open model 1,000/s: share of the rate at nginx (dropped)",
    "1,000/s: reported p50 / p99 (ms)",
    "1,000/s: share of empty 10-ms intervals at nginx (evenness)",
    "1-s stall at 200/s for 4 s: reported p99, ms (error vs the analytic 960.0 ms)",
    "500/s open model: RSS at 10 s → end, growth per hour (10 s → end; least-squares line "
    "over the second half)",
]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("taskset") is None, reason="needs taskset")
def test_quick_benchmark_prints_the_table_and_writes_json_with_every_row(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(out.read_text())
    assert [row["measure"] for row in doc["rows"]] == QUICK_ROWS
    for row in doc["rows"]:
        assert set(row) == {"measure", "k6", "locust", "genesis"}
    for measure in QUICK_ROWS:
        assert f"| {measure} |" in proc.stdout
    assert "genesis-load" in proc.stdout and "schedule_lag p50" in proc.stdout
    assert " corrected; " in proc.stdout  # the stall row reads http_req_duration_corrected
