"""WebSocket sessions against the ``websockets`` package's server (not ours)."""

from __future__ import annotations

import socket
import time

import numpy as np
import pytest

from genesis_load.streaming import WebSocketSession, WSOptions
from tests.streaming.conftest import Recorder


def _p50(values: list[float]) -> float:
    return float(np.percentile(values, 50))


def _server_counts(ws_server: str, recorder: Recorder) -> dict[str, int]:
    """The server's own message counts (its stats reply: counted before it is sent)."""
    session = WebSocketSession(recorder.environment, f"{ws_server}/echo")
    assert session.connect()
    pending = session.request_async({"type": "stats"})
    reply = None if pending is None else session.wait(pending, 5)
    session.close()
    assert reply is not None
    return {"received": reply.payload["received"], "sent": reply.payload["sent"]}


def test_rtt_against_a_20_ms_echo_matches_the_server_hold_time(
    ws_server: str, recorder: Recorder
) -> None:
    session = WebSocketSession(recorder.environment, f"{ws_server}/echo?delay_ms=20")
    assert session.connect()
    held = []
    for n in range(50):
        reply = session.request({"n": n})
        assert reply is not None and reply.payload["echo"]["n"] == n
        held.append(reply.payload["held_ms"])
    assert session.close() == 1000
    rtt = recorder.values("ws_rtt")
    assert len(rtt) == 50
    # loopback + websocket-client framing + gevent add ~0.3-0.7 ms on this 2-core machine when
    # it is quiet (the 1 ms); with other test runs on both cores 1.13 ms was measured,
    # so the bound is 2 ms: a reply queued behind another (20 ms) would still fail it
    assert 0 <= _p50(rtt) - _p50(held) <= 2.0, (_p50(rtt), _p50(held))
    rows = [r for r in recorder.requests if r["name"] == "WS rtt"]
    assert len(rows) == 50 and all(r["request_type"] == "WS" for r in rows)
    assert recorder.total("ws_msgs_sent") == recorder.total("ws_msgs_received") == 50
    assert recorder.values("ws_closes", code="1000", normal="true") == [1.0]
    assert recorder.values("ws_sessions_closed_normally") == [1.0]
    (duration,) = recorder.values("ws_session_duration")
    assert duration >= 50 * 20
    assert len(recorder.values("ws_connecting")) == 1


def test_pipelined_requests_are_not_queued_behind_each_other(
    ws_server: str, recorder: Recorder
) -> None:
    session = WebSocketSession(recorder.environment, f"{ws_server}/echo?delay_ms=100")
    assert session.connect()
    started = time.perf_counter()
    waits = [session.request_async({"n": n}) for n in range(20)]
    replies = [session.wait(w) for w in waits if w is not None]
    elapsed_ms = (time.perf_counter() - started) * 1000
    session.close()
    assert len(replies) == 20 and all(r is not None for r in replies)
    rtts = [r.rtt_ms for r in replies if r is not None and r.rtt_ms is not None]
    # held concurrently by the server: every reply ~100 ms, not 100, 200, ... 2000 ms
    assert max(rtts) < 130 and min(rtts) >= 100, rtts
    assert elapsed_ms < 200


def test_counts_match_the_server(ws_server: str, recorder: Recorder) -> None:
    before = _server_counts(ws_server, recorder)
    session = WebSocketSession(recorder.environment, f"{ws_server}/echo")
    assert session.connect()
    for n in range(30):
        assert session.send({"n": n})  # fire and forget: the echoes arrive as pushes
    waits = [session.request_async({"m": n}) for n in range(20)]
    assert all(w is not None and session.wait(w) for w in waits)
    deadline = time.monotonic() + 5
    while recorder.total("ws_msgs_received") < 51 and time.monotonic() < deadline:
        time.sleep(0.01)
    session.close()
    after = _server_counts(ws_server, recorder)
    # the client counted 50 messages and 2 stats requests; the server counted the 50 and the
    # second stats request since its first answer (which counted the first)
    assert recorder.total("ws_msgs_sent") == 52
    assert after["received"] - before["received"] == 51
    # the server sent the first stats reply and 50 echoes between its two answers; the
    # client received those and the second stats reply
    assert recorder.total("ws_msgs_received") == 52
    assert after["sent"] - before["sent"] == 51


def test_pushes_carry_their_one_way_latency(ws_server: str, recorder: Recorder) -> None:
    seen = []
    session = WebSocketSession(
        recorder.environment, f"{ws_server}/push?rate_per_s=50&count=20", on_push=seen.append
    )
    assert session.connect()
    done = session.wait_for(lambda p: isinstance(p, dict) and p.get("type") == "done", 5)
    session.close()
    assert done is not None and len(seen) == 20
    latency = recorder.values("ws_push_latency")
    assert len(latency) == 20 and 0 <= _p50(latency) < 5


def test_ping_pong(ws_server: str, recorder: Recorder) -> None:
    session = WebSocketSession(recorder.environment, f"{ws_server}/echo")
    assert session.connect()
    ping_ms = session.ping()
    session.close()
    assert ping_ms is not None and 0 < ping_ms < 50
    assert recorder.values("ws_ping") == [ping_ms]


@pytest.mark.parametrize(
    ("code", "normal"), [(1000, True), (1001, True), (4000, False), (1011, False)]
)
def test_server_close_codes_are_counted(
    ws_server: str, recorder: Recorder, code: int, normal: bool
) -> None:
    session = WebSocketSession(recorder.environment, f"{ws_server}/close?code={code}")
    assert session.connect()
    assert session.request({"n": 1}) is not None
    deadline = time.monotonic() + 2
    while session.close_code is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert session.close_code == code
    assert session.close() == code
    tag = "true" if normal else "false"
    assert recorder.values("ws_closes", code=str(code), normal=tag) == [1.0]
    assert recorder.values("ws_sessions_closed_normally") == [float(normal)]


def test_a_refused_upgrade_and_an_unreachable_host_fail_by_kind(
    ws_server: str, recorder: Recorder
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    refused = WebSocketSession(recorder.environment, f"{ws_server}/reject")
    unreachable = WebSocketSession(recorder.environment, f"ws://127.0.0.1:{closed_port}/ws")
    assert not refused.connect() and not unreachable.connect()
    assert recorder.values("ws_failures", reason="http_error") == [1.0]
    assert recorder.values("ws_failures", reason="connect") == [1.0]
    messages = [str(r["exception"]) for r in recorder.requests]
    assert any("HTTP 403" in m for m in messages) and any("refused" in m for m in messages)
    assert refused.request({"n": 1}) is None  # no socket: a recorded failure, no exception
    assert recorder.values("ws_failures", reason="closed") == [1.0]


def test_a_reply_that_never_comes_times_out(ws_server: str, recorder: Recorder) -> None:
    options = WSOptions(reply_timeout_s=0.2)
    session = WebSocketSession(
        recorder.environment, f"{ws_server}/echo?delay_ms=5000", options=options
    )
    assert session.connect()
    started = time.perf_counter()
    assert session.request({"n": 1}) is None
    assert 0.2 <= time.perf_counter() - started < 0.5
    assert session.ping(timeout_s=1.0) is not None  # the session still works meanwhile
    session.close()
    assert recorder.values("ws_failures", reason="timeout") == [1.0]
    (failed,) = [r for r in recorder.requests if r["exception"] is not None]
    assert failed["name"] == "WS rtt" and "no reply to message 1" in str(failed["exception"])


def test_a_late_reply_is_not_taken_for_a_push(ws_server: str, recorder: Recorder) -> None:
    pushes: list[object] = []
    options = WSOptions(reply_timeout_s=0.1)
    session = WebSocketSession(
        recorder.environment, f"{ws_server}/echo?delay_ms=300", options=options,
        on_push=pushes.append,
    )  # fmt: skip
    assert session.connect()
    assert session.request({"n": 1}) is None  # timed out at 100 ms
    time.sleep(0.4)  # the reply comes at 300 ms
    session.close()
    assert recorder.total("ws_msgs_received") == 1 and pushes == []
    assert recorder.values("ws_rtt") == []


def test_a_reply_matched_by_a_predicate(ws_server: str, recorder: Recorder) -> None:
    session = WebSocketSession(recorder.environment, f"{ws_server}/echo?delay_ms=10")
    assert session.connect()
    # no id is added when match= is given: the reply is found by its content
    reply = session.request(
        {"ticket": "abc"}, match=lambda p: isinstance(p, dict) and p["echo"] == {"ticket": "abc"}
    )
    session.close()
    assert reply is not None and reply.rtt_ms is not None and reply.rtt_ms >= 10
    assert recorder.values("ws_rtt") == [reply.rtt_ms]
    with pytest.raises(ValueError, match="needs match="):
        session.request_async("plain text")
