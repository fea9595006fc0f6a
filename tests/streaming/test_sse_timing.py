"""SSE event timing against servers genesis-load did not write (sse-starlette; http.server)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from genesis_load.streaming import SSEEvent, SSEOptions, SSESession
from tests.streaming.conftest import Recorder


def _p50(values: list[float]) -> float:
    return float(np.percentile(values, 50))


@pytest.mark.slow  # 2 s of events
def test_events_every_50_ms_give_a_50_ms_median_gap(sse_server: str, recorder: Recorder) -> None:
    session = SSESession(recorder.environment, sse_server)
    result = session.stream("/ticks?count=41&interval_ms=50")
    assert result.completed, result
    assert result.events == 42  # 41 ticks and the end event
    ticks = recorder.values("sse_event_gap")[:40]  # the end event follows tick 41 at once
    assert len(ticks) == 40
    assert abs(_p50(ticks) - 50.0) <= 2.0, ticks
    # one-way latency on the same host (sent_at written just before the event)
    latency = recorder.values("sse_event_latency")
    assert len(latency) == 41 and 0 <= _p50(latency) < 5, latency
    (ttfe,) = recorder.values("sse_time_to_first_event")
    (connect,) = recorder.values("sse_connect")
    assert 0 < connect <= ttfe < 1000
    (duration,) = recorder.values("sse_stream_duration", reason="completed")
    assert 2000 <= duration < 2500  # 40 gaps of 50 ms
    assert recorder.total("sse_events") == 42
    assert recorder.total("sse_bytes") == result.bytes > 42 * 20
    assert recorder.values("sse_stream_completed") == [1.0]


@pytest.mark.slow  # 2 s of events
def test_10_byte_events_on_a_non_chunked_body_are_timed_on_arrival(
    plain_sse_server: str, recorder: Recorder
) -> None:
    # no Content-Length, no chunked encoding: the body ends when the server closes. A reader
    # that waited for 128-byte blocks would see ~13 events at once, with ~0 ms gaps between
    options = SSEOptions(json_data=False, eof_completes=True)
    session = SSESession(recorder.environment, plain_sse_server, options=options)
    result = session.stream("/tiny?count=41&interval_ms=50")
    assert result.completed and result.events == 41 and result.bytes == 410, result
    gaps = recorder.values("sse_event_gap")
    assert len(gaps) == 40
    assert abs(_p50(gaps) - 50.0) <= 2.0, gaps
    # not held back behind each other: a reader waiting for 128-byte blocks reads ~37 of the
    # 40 gaps as ~0 ms. One late read on this shared machine shortens the gap after it (20.5 ms
    # was seen in a CI run), so allow two short gaps, none of them a held-back ~0 ms one
    short = [g for g in gaps if g < 40.0]
    assert len(short) <= 2 and all(g > 5.0 for g in short), gaps


def test_a_300_ms_stall_before_event_5_is_one_350_ms_gap(
    sse_server: str, recorder: Recorder
) -> None:
    sent: list[float] = []  # the server's own send times (its CLOCK_MONOTONIC, this host)

    def note(event: SSEEvent) -> None:
        if isinstance(event.payload, dict) and "mono" in event.payload:
            sent.append(event.payload["mono"] * 1000.0)

    session = SSESession(recorder.environment, sse_server, options=SSEOptions(stall_s=1.0))
    result = session.stream("/ticks?count=10&interval_ms=50&stall_before=5&stall_ms=300", note)
    assert result.completed, result
    gaps = recorder.values("sse_event_gap")[:9]
    long = [g for g in gaps if g > 100]
    assert len(long) == 1 and gaps.index(long[0]) == 3, gaps  # between events 4 and 5
    assert long[0] == pytest.approx(350.0, abs=15.0), gaps
    # each measured gap is the server's own gap (its send times), within 5 ms: what the client
    # adds; the server's asyncio sleep jitter on a shared machine is not the client's error
    server_gaps = [b - a for a, b in itertools.pairwise(sent)][:9]
    assert len(server_gaps) == len(gaps)
    assert all(abs(g - s) <= 5.0 for g, s in zip(gaps, server_gaps, strict=True)), (
        gaps,
        server_gaps,
    )


def test_a_stall_beyond_the_limit_is_a_stall_failure(sse_server: str, recorder: Recorder) -> None:
    session = SSESession(recorder.environment, sse_server, options=SSEOptions(stall_s=0.2))
    result = session.stream("/ticks?count=10&interval_ms=50&stall_before=5&stall_ms=300")
    assert not result.completed
    assert result.reason == "stall" and result.events == 4, result
    assert "no event for 0.2 s" in result.message
    # the stream ended at the limit, not when the late event came
    assert 150 + 200 - 10 <= result.duration_ms < 150 + 200 + 100, result
    assert recorder.values("sse_stream_completed", reason="stall") == [0.0]
    (request,) = recorder.requests
    assert request["request_type"] == "SSE" and request["context"] == {"stream": "sse"}
    assert request["exception"].reason == "stall"
