"""A real Locust run mixing REST, SSE and WebSocket users against the demo target."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess
from tests.helpers import run_locust, server_counts

pytestmark = pytest.mark.slow

LOCUSTFILE = Path(__file__).parent / "mixed_locustfile.py"


def test_streams_have_their_own_metrics_and_stay_out_of_http_reqs(
    target: TargetProcess, tmp_path: Path
) -> None:
    before = server_counts(target.metrics_text()).get(("/health", "GET", "200"), 0)
    out = tmp_path / "r.json"
    proc = run_locust(
        LOCUSTFILE, target.base_url, "--summary-json", str(out), "--csv", str(tmp_path / "l"),
        run_time="6s", users=6,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    metrics = json.loads(out.read_text())["metrics"]
    health = server_counts(target.metrics_text())[("/health", "GET", "200")] - before

    # http_reqs holds the REST requests only: the server's count of /health
    assert metrics["http_reqs"]["values"]["count"] == health
    for name in ("sse_connect", "sse_time_to_first_event", "sse_event_gap", "sse_event_latency",
                 "sse_stream_duration", "ws_connecting", "ws_rtt", "ws_ping"):  # fmt: skip
        assert metrics[name]["values"]["count"] > 0, name
    gap = metrics["sse_event_gap"]["values"]
    assert 45 <= gap["med"] <= 55, gap
    assert metrics["sse_stream_completed"]["values"]["rate"] == 1.0
    assert metrics["sse_events"]["values"]["count"] > 0
    assert metrics["ws_msgs_sent"]["values"]["count"] > 0

    # Locust's own statistics see the streams (type SSE / WS) next to the REST rows
    with (tmp_path / "l_stats.csv").open() as f:
        rows = {(r["Type"], r["Name"]): r for r in csv.DictReader(f)}
    assert int(rows[("SSE", "/api/v1/stream/events")]["Request Count"]) > 0
    assert int(rows[("WS", "WS rtt")]["Request Count"]) > 0
    assert int(rows[("GET", "/health")]["Request Count"]) > 0
