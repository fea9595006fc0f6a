"""Streams against the demo target: completion under injected faults, the Genesis users."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import gevent
from gevent.pool import Pool

from genesis_load.streaming import (
    GenesisChatStreamUser,
    SSEOptions,
    SSERequest,
    SSESession,
    WebSocketSession,
)
from genesis_load.target import TargetProcess
from tests.streaming.conftest import Recorder
from tests.target.target_helpers import sample

StartTarget = Callable[..., TargetProcess]

STREAMS, TICKS, DROP, MALFORMED = 300, 5, 0.10, 0.02


def test_completion_under_drop_and_malformed_faults_matches_their_rate(
    start_target: StartTarget, recorder: Recorder
) -> None:
    target = start_target()
    path = "/api/v1/stream/events"
    target.set_faults({"drop_rate": DROP, "malformed_rate": MALFORMED, "paths": [path]})
    session = SSESession(recorder.environment, target.base_url, options=SSEOptions(stall_s=5))
    pool = Pool(10)
    results = pool.map(
        lambda _: session.stream(f"{path}?count={TICKS}&interval_ms=0"), range(STREAMS)
    )
    reasons = Counter(r.reason for r in results)
    assert set(reasons) <= {"completed", "connect", "invalid_data"}, reasons

    # exact, from the server's own count: every dropped request is a 'connect' failure
    metrics = target.metrics_text()
    assert reasons["connect"] == sample(metrics, "genesis_faults_injected_total", kind="drop")
    malformed = sample(metrics, "genesis_faults_injected_total", kind="malformed")
    assert reasons["invalid_data"] <= malformed  # the server may cut a frame after we left

    # statistical: a stream completes when its request is not dropped and none of its TICKS
    # frames is malformed: p = (1 - DROP) * (1 - MALFORMED) ** TICKS = 0.8135. With 300
    # streams the standard error is 0.0225; the tolerance is 3.5 of them (0.079)
    p = (1 - DROP) * (1 - MALFORMED) ** TICKS
    tolerance = 3.5 * math.sqrt(p * (1 - p) / STREAMS)
    completed = recorder.values("sse_stream_completed")
    assert len(completed) == STREAMS
    rate = sum(completed) / STREAMS
    assert abs(rate - p) <= tolerance, (rate, p, reasons)
    assert rate == reasons["completed"] / STREAMS
    assert (
        recorder.values("sse_stream_completed", reason="invalid_data")
        == [0.0] * reasons["invalid_data"]
    )


def test_event_latency_and_ids_from_the_tick_feed(
    target: TargetProcess, recorder: Recorder
) -> None:
    session = SSESession(recorder.environment, target.base_url)
    result = session.stream("/api/v1/stream/events?count=20&interval_ms=20")
    assert result.completed and result.events == 21 and result.last_event_id == "20", result
    latency = recorder.values("sse_event_latency")  # from server_send_ns, same host
    assert len(latency) == 20 and all(-1 < v < 20 for v in latency), latency


def test_websocket_echo_subscribe_and_malformed_ticks(
    start_target: StartTarget, recorder: Recorder
) -> None:
    target = start_target()
    target.set_faults({"malformed_rate": 0.5, "paths": ["/ws"]})
    pushes = []
    session = WebSocketSession(
        recorder.environment,
        f"{target.base_url}/ws".replace("http", "ws", 1),
        on_push=pushes.append,
    )
    assert session.connect()
    reply = session.request({"op": "echo", "x": 1})
    assert reply is not None and reply.payload["type"] == "echo"
    assert session.send({"type": "subscribe", "rate_per_s": 100, "count": 40, "id": "s1"})
    done = session.wait_for(lambda p: isinstance(p, dict) and p.get("type") == "done", 5)
    assert done is not None
    gevent.sleep(0)
    session.close()
    ticks = len(pushes)
    malformed = sum(1 for p in pushes if p.payload is None)
    assert ticks == 40 and malformed == sample(
        target.metrics_text(), "genesis_faults_injected_total", kind="malformed"
    )
    assert len(recorder.values("ws_push_latency")) == 40 - malformed


def test_openai_chat_streams_complete_on_done_and_bad_models_fail(
    target: TargetProcess, recorder: Recorder
) -> None:
    user = GenesisChatStreamUser(recorder.environment)
    user.host = target.base_url
    session = SSESession(recorder.environment, target.base_url, options=user.sse_options)
    request = user.stream_request()
    result = session.stream(request)
    assert result.completed and result.events > 3, result
    body = dict(request.json, model="no-such-agent")
    bad = session.stream(SSERequest(request.path, name="chat", method="POST", json=body))
    assert (bad.completed, bad.reason, bad.status) == (False, "http_error", 404), bad
    assert "model_not_found" in bad.message
