"""``--out`` on a real Locust run: CSV and JSON side by side, counted at the server."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess
from tests.helpers import run_locust, server_counts

pytestmark = pytest.mark.slow


def test_out_csv_and_json_agree_with_each_other_and_the_server(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target()
    out_csv, out_json = tmp_path / "run.csv", tmp_path / "r.json"
    proc = run_locust(
        "closed.py", target.base_url, "--out", f"csv={out_csv}", "--out", f"json={out_json}",
        run_time="4s", users=3,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    served = sum(n for (route, _, _), n in server_counts(target.metrics_text()).items()
                 if route != "/metrics")  # fmt: skip
    with open(out_csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    run_count = next(
        float(r["value"])
        for r in rows
        if (r["scope"], r["metric"], r["stat"]) == ("run", "http_reqs", "count")
    )
    interval_count = sum(
        float(r["value"])
        for r in rows
        if (r["scope"], r["metric"], r["stat"]) == ("interval", "http_reqs", "count")
    )
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert run_count == interval_count == doc["metrics"]["http_reqs"]["values"]["count"] == served
    assert "genesis-load summary" in proc.stdout  # the summary is still on by default


def test_an_unknown_output_is_refused_before_any_load(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target()
    proc = run_locust("closed.py", target.base_url, "--out", "jsonn=x.json", run_time="3s")
    assert proc.returncode == 104, proc.stderr
    assert (
        "--out jsonn=x.json: unknown output 'jsonn' "
        "(known: csv, hlog, json, live, otel, prometheus, summary)"
    ) in proc.stderr
    assert not server_counts(target.metrics_text()), "no load was sent"
