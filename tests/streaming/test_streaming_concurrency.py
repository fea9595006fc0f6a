"""Many streams in one process: 200 SSE streams and 200 WebSocket users at once.

Timing error is measured against the server's own clock, not against the schedule, so the
server's jitter does not count: for consecutive events k-1, k of a stream,
``gap error = (received_k - received_k-1) - (sent_k - sent_k-1)`` (both CLOCK_MONOTONIC on
this host), and for a WebSocket reply ``rtt error = rtt - the server's hold time``.
"""

from __future__ import annotations

import gevent
import numpy as np
import pytest

from genesis_load.streaming import SSEEvent, SSEOptions, SSESession, WebSocketSession
from tests.streaming.conftest import Recorder

pytestmark = pytest.mark.slow

STREAMS, USERS, EVENTS, INTERVAL_MS, REQUESTS = 200, 200, 60, 50, 30


def _stream(recorder: Recorder, base: str, errors: list[float]) -> bool:
    seen: list[tuple[float, float]] = []

    def note(event: SSEEvent) -> None:
        if isinstance(event.payload, dict) and "mono" in event.payload:
            seen.append((event.received_s, event.payload["mono"]))

    session = SSESession(recorder.environment, base, options=SSEOptions(stall_s=5))
    result = session.stream(f"/ticks?count={EVENTS}&interval_ms={INTERVAL_MS}", note)
    session.close()
    for (r0, s0), (r1, s1) in zip(seen, seen[1:], strict=False):
        errors.append(((r1 - r0) - (s1 - s0)) * 1000.0)
    return result.completed


def _socket(recorder: Recorder, base: str, errors: list[float]) -> int:
    session = WebSocketSession(recorder.environment, f"{base}/echo?delay_ms=20")
    if not session.connect():
        return 0
    ok = 0
    for n in range(REQUESTS):
        reply = session.request({"n": n}, timeout_s=5)
        if reply is not None and reply.rtt_ms is not None:
            errors.append(reply.rtt_ms - reply.payload["held_ms"])
            ok += 1
        gevent.sleep(0.08)
    session.close()
    return ok


def test_200_sse_streams_and_200_websocket_users_in_one_process(
    sse_server: str, ws_server: str, recorder: Recorder
) -> None:
    gap_errors: list[float] = []
    rtt_errors: list[float] = []
    streams = [gevent.spawn(_stream, recorder, sse_server, gap_errors) for _ in range(STREAMS)]
    sockets = [gevent.spawn(_socket, recorder, ws_server, rtt_errors) for _ in range(USERS)]
    gevent.joinall(streams + sockets, timeout=60, raise_error=True)
    assert all(g.value for g in streams), "every stream completed"
    assert sum(g.value for g in sockets) == USERS * REQUESTS
    assert len(recorder.values("sse_event_gap")) == STREAMS * EVENTS  # ticks and the end event
    assert len(recorder.values("ws_rtt")) == USERS * REQUESTS

    gap = np.abs(gap_errors)
    assert len(gap) == STREAMS * (EVENTS - 1)
    p50, p95, p99 = np.percentile(gap, [50, 95, 99])
    print(f"gap error |ms| p50 {p50:.2f} p95 {p95:.2f} p99 {p99:.2f}")
    assert p95 < 2.0, (p50, p95, p99)
    rtt50, rtt95 = np.percentile(rtt_errors, [50, 95])
    print(f"rtt error ms p50 {rtt50:.2f} p95 {rtt95:.2f}")
    assert rtt95 < 5.0, (rtt50, rtt95)
