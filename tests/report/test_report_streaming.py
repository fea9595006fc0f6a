"""The report's Streaming section, from constructed runs (no Locust)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from genesis_load.report.document import Line, Table
from genesis_load.report.load import MetricEntry, Run
from genesis_load.report.streaming_section import has_streams, streaming_section
from tests.report.test_report_rules import run


def _m(key: str, kind: str, contains: str, **values: float) -> tuple[str, MetricEntry]:
    return key, MetricEntry(key, kind, contains, values)


STREAM_METRICS = dict(
    [
        _m("sse_stream_completed", "rate", "default", rate=0.9, passes=90, fails=10),
        _m("sse_stream_completed{reason:completed}", "rate", "default", passes=90, fails=0),
        _m("sse_stream_completed{reason:stall}", "rate", "default", passes=0, fails=7),
        _m("sse_stream_completed{reason:broken}", "rate", "default", passes=0, fails=3),
        _m("sse_time_to_first_event", "trend", "time", med=12.0, **{"p(95)": 40.0, "p(99)": 90.0}),
        _m("sse_reconnects", "counter", "default", count=4),
        _m("sse_events_lost", "counter", "default", count=2),
        _m("ws_rtt", "trend", "time", med=1.5, **{"p(95)": 3.0, "p(99)": 8.0}),
        _m("ws_session_duration", "trend", "time", count=12, med=1000.0),
        _m("ws_sessions_closed_normally", "rate", "default", rate=0.75, passes=9, fails=3),
        _m("ws_closes{code:1000}", "counter", "default", count=9),
        _m("ws_closes{code:1006}", "counter", "default", count=3),
        _m("ws_failures{reason:timeout}", "counter", "default", count=5),
        _m("sse_streams_open", "gauge", "default", value=0, min=0, max=14),
    ]
)


def _streaming_run() -> Run:
    return replace(run(), scenario="streaming", metrics=STREAM_METRICS, path=Path("st.json"))


def test_streaming_figures_failure_reasons_and_concurrency_are_shown() -> None:
    section = streaming_section([run(), _streaming_run()], {})
    tables = [b for b in section.blocks if isinstance(b, Table)]
    sse, ws = tables
    assert sse.rows == (
        ("streaming", "100", "90.00%", "12.00ms / 40.00ms / 90.00ms", "–", "–", "4 / 2"),
    )
    assert ws.rows[0][0:2] == ("streaming", "12") and ws.rows[0][3] == "1.50ms / 3.00ms / 8.00ms"
    assert ws.rows[0][-1] == "75.00%"
    lines = [b.text for b in section.blocks if isinstance(b, Line)]
    failures = next(t for t in lines if "SSE stall" in t)
    assert "SSE stall: 7" in failures and "SSE broken: 3" in failures
    assert "WebSocket timeout: 5" in failures and "WebSocket close 1006: 3" in failures
    assert "completed" not in failures and "close 1000" not in failures
    assert any("14 SSE streams open at once" in t for t in lines)


def test_runs_without_streams_are_left_out_and_said_to_be_unmeasured() -> None:
    assert not has_streams(run())
    section = streaming_section([run()], {})
    assert len(section.blocks) == 1
    block = section.blocks[0]
    assert isinstance(block, Line) and block.lead == "Not measured:"
