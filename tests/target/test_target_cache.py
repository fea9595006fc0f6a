"""The cached read path: X-Cache MISS then HIT, Server-Timing, TTL expiry, LRU capacity."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import requests
from target_helpers import sample, server_timing

from genesis_load.target import TargetProcess


def get(target: TargetProcess, resource: str, row_id: int) -> requests.Response:
    return requests.get(f"{target.base_url}/api/v1/cached/{resource}/{row_id}", timeout=5)


@pytest.mark.parametrize("resource", ["users", "workouts", "plans"])
def test_first_read_misses_then_hits_with_measured_timings(
    target: TargetProcess, resource: str
) -> None:
    row_id = 150 + len(resource)  # an id no other test reads through the cache
    miss, hit = get(target, resource, row_id), get(target, resource, row_id)
    assert (miss.status_code, hit.status_code) == (200, 200)
    assert (miss.headers["X-Cache"], hit.headers["X-Cache"]) == ("MISS", "HIT")
    assert hit.content == miss.content
    plain = requests.get(f"{target.base_url}/api/v1/{resource}/{row_id}", timeout=5)
    assert plain.json() == miss.json()
    miss_timing = server_timing(miss.headers["Server-Timing"])
    hit_timing = server_timing(hit.headers["Server-Timing"])
    assert set(miss_timing) == {"cache", "db"} and set(hit_timing) == {"cache"}
    assert all(d > 0 for d in (*miss_timing.values(), *hit_timing.values()))


def test_missing_rows_are_404_and_never_cached(target: TargetProcess) -> None:
    first, second = get(target, "workouts", 987_654), get(target, "workouts", 987_654)
    assert (first.status_code, second.status_code) == (404, 404)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "MISS")


def test_entries_expire_after_the_ttl(start_target: Callable[..., TargetProcess]) -> None:
    target = start_target("--cache-ttl-s", "0.3")
    states = [
        get(target, "users", 5).headers["X-Cache"],
        get(target, "users", 5).headers["X-Cache"],
    ]
    time.sleep(0.5)
    states.append(get(target, "users", 5).headers["X-Cache"])
    assert states == ["MISS", "HIT", "MISS"]
    text = target.metrics_text()
    assert sample(text, "genesis_cache_requests_total", result="miss") == 2
    assert sample(text, "genesis_cache_requests_total", result="hit") == 1


def test_least_recently_used_entry_is_evicted(start_target: Callable[..., TargetProcess]) -> None:
    target = start_target("--cache-size", "2")
    for row_id in (1, 2, 1, 3):  # 3 evicts 2, the least recently used
        get(target, "users", row_id)
    assert [get(target, "users", i).headers["X-Cache"] for i in (1, 3, 2)] == ["HIT", "HIT", "MISS"]
