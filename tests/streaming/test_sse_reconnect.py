"""Reconnection with Last-Event-ID and the server's retry; lost events from ids."""

from __future__ import annotations

import requests

from genesis_load.streaming import SSEOptions, SSESession
from tests.streaming.conftest import Recorder


def _server_connections(base: str, path: str = "/resume") -> int:
    return int(requests.get(f"{base}/stats", timeout=5).json()["connections"].get(path, 0))


def test_a_broken_stream_resumes_after_the_last_id_and_honors_retry(
    sse_server: str, recorder: Recorder
) -> None:
    before = _server_connections(sse_server)
    options = SSEOptions(reconnect_delay_s=5.0)  # the server's retry: 150 must win
    session = SSESession(recorder.environment, sse_server, options=options)
    result = session.stream("/resume?count=8&break_after=3&retry_ms=150")
    assert result.completed, result
    assert (result.reconnects, result.events_lost, result.events) == (1, 0, 9), result
    assert _server_connections(sse_server) - before == 2  # counted by the server
    assert recorder.total("sse_reconnects") == 1
    # 8 events 10 ms apart, one wait of 150 ms (not the 5 s default)
    assert 150 + 80 <= result.duration_ms < 1000, result
    assert len(recorder.values("sse_connect")) == 2


def test_ids_skipped_across_a_reconnect_are_counted_as_lost(
    sse_server: str, recorder: Recorder
) -> None:
    session = SSESession(recorder.environment, sse_server)
    result = session.stream("/resume?count=10&break_after=3&skip=2&retry_ms=10")
    # ticks 1-3, then the server resumes at 6 instead of 4: ids 4 and 5 are lost
    assert result.completed and result.events_lost == 2 and result.events == 3 + 5 + 1, result
    assert recorder.total("sse_events_lost") == 2


def test_reconnects_are_bounded(sse_server: str, recorder: Recorder) -> None:
    before = _server_connections(sse_server, "/ticks")
    options = SSEOptions(max_reconnects=2, reconnect_delay_s=0.01)
    session = SSESession(recorder.environment, sse_server, options=options)
    # every connection ends without the terminal event (end=0): 1 try + 2 reconnects, then fail
    result = session.stream("/ticks?count=2&interval_ms=1&end=0")
    assert (result.completed, result.reason, result.reconnects) == (False, "broken", 2), result
    assert recorder.total("sse_reconnects") == 2
    assert _server_connections(sse_server, "/ticks") - before == 3
