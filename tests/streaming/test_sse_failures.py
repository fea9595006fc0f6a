"""Bad SSE input is a failure of a named kind, with a clear message, in bounded time."""

from __future__ import annotations

import socket
import time

import pytest

from genesis_load.streaming import SSEOptions, SSESession
from tests.streaming.conftest import Recorder

FAST = SSEOptions(stall_s=0.5, connect_timeout_s=0.5, max_reconnects=0)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens here once the socket is closed


@pytest.mark.parametrize(
    ("path", "reason", "message", "events"),
    [
        ("/json", "content_type", "expected text/event-stream", 0),
        ("/status/500", "http_error", "HTTP 500", 0),
        ("/invalid", "invalid_data", "event 2 data is not JSON", 2),
        ("/error-payload", "error_event", "quota exceeded", 2),
        ("/ticks?count=5&interval_ms=10&error_after=2", "error_event", "'event: error'", 3),
        ("/silent", "timeout", "no event within 0.5 s", 0),
        ("/never", "timeout", "no response headers within 0.5 s", 0),
        ("/ticks?count=3&interval_ms=10&end=0", "broken", "without a terminal event", 3),
    ],
    ids=[
        "a JSON 200 is not a stream",
        "an HTTP 500 before the stream",
        "event data that is not JSON",
        "an error payload after 200",
        "event: error after 200",
        "a server that never sends an event",
        "a server that never sends headers",
        "a body that ends before the terminal event",
    ],
)
def test_bad_streams_fail_by_kind(
    sse_server: str, recorder: Recorder, path: str, reason: str, message: str, events: int
) -> None:
    session = SSESession(recorder.environment, sse_server, options=FAST)
    started = time.perf_counter()
    result = session.stream(path)
    assert time.perf_counter() - started < 2.0  # every wait is bounded
    assert (result.completed, result.reason, result.events) == (False, reason, events), result
    assert message in result.message, result.message
    assert recorder.values("sse_stream_completed", reason=reason) == [0.0]
    (request,) = recorder.requests
    assert request["request_type"] == "SSE" and request["exception"].reason == reason
    if reason in ("http_error", "content_type"):
        assert result.status == (500 if reason == "http_error" else 200)


def test_an_unreachable_host_is_a_connect_failure(recorder: Recorder) -> None:
    session = SSESession(recorder.environment, f"http://127.0.0.1:{_closed_port()}", options=FAST)
    result = session.stream("/feed")
    assert (result.completed, result.reason, result.status) == (False, "connect", 0)
    assert "Connection refused" in result.message
    assert recorder.values("sse_stream_duration", reason="connect")


def test_the_whole_stream_timeout_ends_a_long_stream(sse_server: str, recorder: Recorder) -> None:
    options = SSEOptions(timeout_s=0.3, stall_s=1.0)
    result = SSESession(recorder.environment, sse_server, options=options).stream(
        "/ticks?count=100&interval_ms=20"
    )
    assert (result.completed, result.reason) == (False, "timeout"), result
    assert 300 <= result.duration_ms < 400 and 10 <= result.events <= 16, result
