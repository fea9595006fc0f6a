"""Admission control: 503 shedding above --max-inflight (streams included), 429 rate limits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests
from target_helpers import request_counts, sample

from genesis_load.target import TargetProcess


def concurrent_gets(url: str, n: int) -> list[requests.Response]:
    """n GETs released together from n threads, each on its own connection."""
    barrier = threading.Barrier(n)

    def one(_: int) -> requests.Response:
        barrier.wait(timeout=10)
        return requests.get(url, timeout=15)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def test_requests_above_the_inflight_limit_are_shed_with_503(
    start_target: Callable[..., TargetProcess],
) -> None:
    target = start_target("--max-inflight", "2", "--latency-ms", "400")
    responses = concurrent_gets(f"{target.base_url}/health", 8)
    statuses = sorted(r.status_code for r in responses)
    shed = [r for r in responses if r.status_code == 503]
    assert 200 in statuses and shed, statuses
    assert set(statuses) == {200, 503}
    for r in shed:
        assert r.headers["Retry-After"] == "1"
        assert r.json()["reason"] == "inflight"
    text = target.metrics_text()
    assert sample(text, "genesis_shed_total", reason="inflight") == len(shed)
    assert request_counts(text)[("/health", "GET", "503")] == len(shed)


def test_metrics_and_admin_are_exempt_while_at_the_limit(
    start_target: Callable[..., TargetProcess],
) -> None:
    target = start_target("--max-inflight", "1")
    with requests.get(
        f"{target.base_url}/api/v1/stream/events",
        params={"count": 2, "interval_ms": 600},
        stream=True,
        timeout=10,
    ) as stream:
        next(stream.iter_lines())  # the stream is open and counts as in flight
        blocked = requests.get(f"{target.base_url}/health", timeout=5)
        assert blocked.status_code == 503
        assert requests.get(f"{target.base_url}/admin/faults", timeout=5).status_code == 200
        assert sample(target.metrics_text(), "genesis_inflight_requests") == 1
        for _ in stream.iter_lines():
            pass
    # The server releases the slot right after the stream's last byte; allow it a moment.
    deadline = time.monotonic() + 5
    while requests.get(f"{target.base_url}/health", timeout=5).status_code != 200:
        assert time.monotonic() < deadline, "slot never released after the stream ended"
        time.sleep(0.05)


def test_rate_limit_per_client_answers_429_with_retry_after(
    start_target: Callable[..., TargetProcess],
) -> None:
    target = start_target("--rate-limit-per-s", "1", "--rate-limit-burst", "3")
    url = f"{target.base_url}/health"
    with requests.Session() as alice:
        alice.headers["X-Client-Id"] = "alice"
        statuses = [alice.get(url, timeout=5).status_code for _ in range(5)]
        refused = alice.get(url, timeout=5)
    assert statuses == [200, 200, 200, 429, 429]
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["reason"] == "rate_limit"
    assert requests.get(url, headers={"X-Client-Id": "bob"}, timeout=5).status_code == 200
    time.sleep(1.1)  # one token back at 1/s
    assert requests.get(url, headers={"X-Client-Id": "alice"}, timeout=5).status_code == 200
    assert sample(target.metrics_text(), "genesis_shed_total", reason="rate_limit") == 3
