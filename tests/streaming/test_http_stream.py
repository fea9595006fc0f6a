"""A streamed plain-HTTP body: Locust's clients time it to the headers; timed_stream to the end.

The body is an SSE feed of 10 events 50 ms apart (~450 ms from headers to last byte).
"""

from __future__ import annotations

import socket
import time

import pytest
import requests
from locust.clients import HttpSession
from locust.contrib.fasthttp import FastHttpSession

from genesis_load.streaming import timed_stream
from tests.streaming.conftest import Recorder

FEED = "/ticks?count=10&interval_ms=50"


@pytest.mark.parametrize("client", ["HttpUser", "FastHttpUser"])
def test_locust_clients_stop_the_clock_at_the_headers_with_stream_true(
    sse_server: str, recorder: Recorder, client: str
) -> None:
    events = recorder.environment.events.request
    started = time.perf_counter()
    if client == "HttpUser":
        http = HttpSession(sse_server, events, None)
        response = http.get(FEED, stream=True)
        body = b"".join(response.iter_content(chunk_size=None))
        response.close()
        http.close()
    else:
        fast = FastHttpSession(sse_server, events, None)
        fast_response = fast.get(FEED, stream=True)
        body = fast_response.stream.read()
        fast_response.stream.release()
        fast.client.close()
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert body.count(b"event: tick") == 10 and elapsed_ms >= 450
    (event,) = recorder.requests
    # the clock stopped at the headers, at least the body's 450 ms before the last byte:
    # that is why timed_stream exists
    assert event["response_time"] <= elapsed_ms - 400


def test_timed_stream_reports_the_full_body_duration(sse_server: str, recorder: Recorder) -> None:
    with requests.Session() as http:
        body = timed_stream(recorder.environment, http, "GET", f"{sse_server}{FEED}")
    assert body.status == 200 and body.error is None
    assert body.content.count(b"event: tick") == 10
    assert body.first_byte_ms is not None
    assert body.duration_ms - body.headers_ms >= 450 - 5  # 9 gaps of 50 ms after the first
    assert 450 <= body.duration_ms < 1000
    (event,) = recorder.requests
    assert event["request_type"] == "GET" and event["name"] == "/ticks"
    assert event["response_time"] == body.duration_ms
    assert event["response_length"] == len(body.content) and event["exception"] is None
    # what genesis-load records as http_req_waiting (time to headers)
    assert event["response"].elapsed.total_seconds() * 1000 <= body.duration_ms - 400


def test_timed_stream_failures_are_reported_not_raised(sse_server: str, recorder: Recorder) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    http = requests.Session()
    refused = timed_stream(recorder.environment, http, "GET", f"http://127.0.0.1:{port}/x")
    error = timed_stream(recorder.environment, http, "GET", f"{sse_server}/status/500")
    slow = timed_stream(recorder.environment, http, "GET", f"{sse_server}/silent", timeout_s=0.3)
    http.close()
    assert refused.status == 0 and "refused" in (refused.error or "")
    assert error.status == 500 and "500" in (error.error or "")
    assert slow.status == 200 and "within 0.3 s" in (slow.error or "")
    assert 300 <= slow.duration_ms < 500
    assert [r["exception"] is not None for r in recorder.requests] == [True, True, True]
