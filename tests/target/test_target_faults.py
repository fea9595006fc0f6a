"""Fault injection against a real target: admin API, latency, errors, stall, drop, malformed.

Every test here starts its own target: faults must never leak into the shared one.
"""

from __future__ import annotations

import json
import time
import urllib.error
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import websocket
from target_helpers import JSON, request_counts, sample, sse_events

from genesis_load.target import TargetProcess

Start = Callable[..., TargetProcess]


def test_admin_round_trip(start_target: Start) -> None:
    target = start_target()
    spec = {
        "latency": {"dist": "uniform", "min_ms": 1, "max_ms": 2},
        "error_rate": 0.25,
        "paths": ["/api/v1/plans"],
    }
    assert target.set_faults(spec)["faults"] == spec
    current = requests.get(f"{target.base_url}/admin/faults", timeout=5).json()
    assert current == {"faults": spec, "stall_window_s": None}
    cleared = requests.delete(f"{target.base_url}/admin/faults", timeout=5).json()
    assert cleared == {"faults": {}, "stall_window_s": None}


@pytest.mark.parametrize(
    ("spec", "bad_keys"),
    [
        ({"error_rate": 3}, {"error_rate"}),
        ({"chaos": True}, {"chaos"}),
        ({"latency": {"dist": "zipf"}}, {"latency.dist"}),
    ],
    ids=["rate out of range", "unknown fault", "unknown distribution"],
)
def test_bad_fault_spec_is_400_naming_the_key_and_changes_nothing(
    start_target: Start, spec: dict[str, Any], bad_keys: set[str]
) -> None:
    target = start_target("--latency-ms", "1")
    with pytest.raises(urllib.error.HTTPError) as info:
        target.set_faults(spec)
    assert info.value.code == 400
    assert set(json.loads(info.value.read())["problems"]) == bad_keys
    current = requests.get(f"{target.base_url}/admin/faults", timeout=5).json()
    assert current["faults"] == {"latency_ms": 1.0}


@pytest.mark.parametrize(
    ("spec", "at_least_s"),
    [
        ({"latency_ms": 150}, 0.150),
        ({"latency": {"dist": "uniform", "min_ms": 120, "max_ms": 160}}, 0.120),
    ],
    ids=["fixed 150 ms", "uniform 120..160 ms"],
)
def test_latency_is_at_least_what_was_injected(
    start_target: Start, spec: dict[str, Any], at_least_s: float
) -> None:
    target = start_target()
    target.set_faults({**spec, "paths": ["/health"]})
    for _ in range(3):
        started = time.monotonic()
        assert requests.get(f"{target.base_url}/health", timeout=5).ok
        assert time.monotonic() - started >= at_least_s
    requests.get(f"{target.base_url}/api/v1/agents", timeout=5)  # outside the fault paths
    # Only the three /health requests got latency: the count proves /api/v1/agents was spared.
    assert sample(target.metrics_text(), "genesis_faults_injected_total", kind="latency") == 3


def test_error_rate_gives_that_share_of_500s_reproducibly(start_target: Start) -> None:
    target = start_target("--seed", "7")
    spec = {"error_rate": 0.3, "paths": ["/api/v1/users"]}

    def run() -> list[int]:
        target.set_faults(spec)  # re-seeds the fault RNG
        with requests.Session() as s:
            return [s.get(f"{target.base_url}/api/v1/users/1").status_code for _ in range(200)]

    first = run()
    errors = first.count(500)
    assert 31 <= errors <= 89  # binomial(200, 0.3): mean 60, ±4.5 sd
    assert set(first) == {200, 500}
    assert run() == first  # same seed, same spec -> same decisions
    text = target.metrics_text()
    assert sample(text, "genesis_faults_injected_total", kind="error") == 2 * errors
    assert request_counts(text)[("/api/v1/users/{id}", "GET", "500")] == 2 * errors


def test_stall_holds_requests_until_the_window_ends(start_target: Start) -> None:
    target = start_target()
    before_set = time.monotonic()
    target.set_faults({"stall": {"start_in_s": 0.3, "duration_s": 0.8}})
    assert requests.get(f"{target.base_url}/health", timeout=5).ok  # before the window
    time.sleep(max(0.0, before_set + 0.45 - time.monotonic()))

    def held(_: int) -> float:
        assert requests.get(f"{target.base_url}/health", timeout=10).ok
        return time.monotonic()

    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(held, i) for i in range(3)]
        # /admin and /metrics are never stalled.
        started = time.monotonic()
        assert requests.get(f"{target.base_url}/admin/faults", timeout=5).ok
        assert "genesis_" in target.metrics_text()
        assert time.monotonic() - started < 0.5
        done = [f.result() for f in futures]
    window_end = before_set + 0.3 + 0.8  # the server's window ends no earlier than this
    assert all(t >= window_end for t in done)
    started = time.monotonic()
    assert requests.get(f"{target.base_url}/health", timeout=5).ok  # after the window
    assert time.monotonic() - started < 0.5
    assert sample(target.metrics_text(), "genesis_faults_injected_total", kind="stall") == 3


def test_stall_from_the_command_line_counts_from_startup(start_target: Start) -> None:
    target = start_target("--stall-start-in-s", "0", "--stall-duration-s", "0.5")
    window = requests.get(f"{target.base_url}/admin/faults", timeout=5).json()["stall_window_s"]
    assert window["opens_in_s"] <= 0 < window["closes_in_s"] <= 0.5


def test_drop_closes_the_connection_without_a_response(start_target: Start) -> None:
    target = start_target("--drop-rate", "1", "--fault-path", "/api/v1/users")
    for _ in range(3):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{target.base_url}/api/v1/users/1", timeout=5)
    assert requests.get(f"{target.base_url}/health", timeout=5).ok  # server still fine
    text = target.metrics_text()
    assert request_counts(text)[("/api/v1/users/{id}", "GET", "444")] == 3
    assert sample(text, "genesis_faults_injected_total", kind="drop") == 3


def test_malformed_sse_frames_carry_invalid_json(start_target: Start) -> None:
    target = start_target("--malformed-rate", "1")
    with requests.get(
        f"{target.base_url}/api/v1/stream/events",
        params={"count": 3, "interval_ms": 1},
        stream=True,
        timeout=10,
    ) as response:
        events = [e for e in sse_events(response) if e.event == "tick"]
    assert [e.id for e in events] == ["1", "2", "3"]  # the frames still parse as SSE
    for event in events:
        with pytest.raises(json.JSONDecodeError):
            json.loads(event.data)
    assert sample(target.metrics_text(), "genesis_faults_injected_total", kind="malformed") == 3


def test_malformed_chat_chunks(start_target: Start) -> None:
    target = start_target("--malformed-rate", "1")
    body: JSON = {
        "model": "BLAZE",
        "messages": [{"role": "user", "content": "hiit?"}],
        "stream": True,
    }
    with requests.post(
        f"{target.base_url}/v1/chat/completions", json=body, stream=True, timeout=10
    ) as response:
        data = [e.data for e in sse_events(response)]
    assert data
    for payload in data:
        with pytest.raises(json.JSONDecodeError):
            json.loads(payload)


def test_malformed_websocket_pushes_are_not_json(start_target: Start) -> None:
    target = start_target("--faults", '{"malformed_rate": 1, "paths": ["/ws"]}')
    conn = websocket.create_connection(f"ws://127.0.0.1:{target.port}/ws", timeout=10)
    try:
        conn.send(json.dumps({"type": "subscribe", "rate_per_s": 500, "count": 3}))
        frames = [conn.recv() for _ in range(3)]
        assert json.loads(conn.recv())["type"] == "done"  # control messages stay intact
    finally:
        conn.close()
    for frame in frames:
        with pytest.raises(json.JSONDecodeError):
            json.loads(frame)


def test_cli_faults_apply_only_under_fault_paths(start_target: Start) -> None:
    target = start_target("--error-rate", "1", "--fault-path", "/api/v1/plans")
    plans = requests.get(f"{target.base_url}/api/v1/plans/1", timeout=5)
    assert plans.status_code == 500 and plans.json()["fault"] == "error"
    assert requests.get(f"{target.base_url}/api/v1/users/1", timeout=5).status_code == 200
