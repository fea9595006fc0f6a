"""The SSE tick feed: ids, pacing, Last-Event-ID resume, keepalives, terminal event."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from target_helpers import sse_events

from genesis_load.target import TargetProcess


def open_feed(
    target: TargetProcess, headers: dict[str, str] | None = None, **params: Any
) -> requests.Response:
    return requests.get(
        f"{target.base_url}/api/v1/stream/events",
        params=params,
        headers=headers,
        stream=True,
        timeout=10,
    )


def test_ticks_have_ids_then_an_end_event(target: TargetProcess) -> None:
    before_ns = time.time_ns()
    started = time.monotonic()
    with open_feed(target, count=5, interval_ms=40) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        events = list(sse_events(response))
    elapsed_s = time.monotonic() - started
    ticks, end = events[:-1], events[-1]
    assert [(e.id, e.event) for e in ticks] == [(str(i), "tick") for i in range(1, 6)]
    data = [json.loads(e.data) for e in ticks]
    assert [d["seq"] for d in data] == [1, 2, 3, 4, 5]
    send_ns = [d["server_send_ns"] for d in data]
    assert before_ns <= send_ns[0] and send_ns == sorted(send_ns)
    assert send_ns[-1] - send_ns[0] >= 0.9 * 4 * 40e6  # four intervals of 40 ms
    assert elapsed_s >= 0.9 * 4 * 0.040
    assert end.event == "end" and json.loads(end.data) == {"last_seq": 5, "sent": 5}


@pytest.mark.parametrize(
    ("last_event_id", "expected_ids"),
    [("0", [1, 2, 3, 4]), ("2", [3, 4]), ("4", [])],
    ids=["0 resumes from the start", "2 resumes after tick 2", "4 means nothing is left"],
)
def test_last_event_id_resumes_after_that_tick(
    target: TargetProcess, last_event_id: str, expected_ids: list[int]
) -> None:
    with open_feed(target, {"Last-Event-ID": last_event_id}, count=4, interval_ms=1) as response:
        events = list(sse_events(response))
    assert [int(str(e.id)) for e in events if e.event == "tick"] == expected_ids
    assert events[-1].event == "end"


def test_keepalive_comments_fill_idle_gaps(target: TargetProcess) -> None:
    with open_feed(target, count=2, interval_ms=300, keepalive_ms=50) as response:
        lines = [line for line in response.iter_lines() if line]
    keepalives = [line for line in lines if line == b": keepalive"]
    assert 3 <= len(keepalives) <= 6  # one every 50 ms in a 300 ms gap
    assert lines[0] == b"id: 1" and lines[-2] == b"event: end"


@pytest.mark.parametrize(
    ("params", "headers", "bad"),
    [
        ({"count": 0}, {}, "count"),
        ({"count": "many"}, {}, "count"),
        ({"interval_ms": -5}, {}, "interval_ms"),
        ({"keepalive_ms": "soon"}, {}, "keepalive_ms"),
        ({}, {"Last-Event-ID": "abc"}, "Last-Event-ID"),
    ],
    ids=[
        "count 0",
        "count not a number",
        "negative interval",
        "bad keepalive",
        "bad Last-Event-ID",
    ],
)
def test_bad_parameters_are_400(
    target: TargetProcess, params: dict[str, Any], headers: dict[str, str], bad: str
) -> None:
    response = open_feed(target, headers, **params)
    assert response.status_code == 400
    assert set(response.json()["problems"]) == {bad}
