"""The counting access log: one 'arrival_ns method path status duration_us' line per request."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import requests

from genesis_load.target import TargetProcess


def read_lines(path: Path) -> list[list[str]]:
    return [line.split(" ") for line in path.read_text().splitlines()]


def test_every_request_is_logged_and_flushed_within_half_a_second(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    log_path = tmp_path / "access.log"
    target = start_target("--access-log", str(log_path))
    before_ns = time.time_ns()
    with requests.Session() as s:
        s.get(f"{target.base_url}/health")
        s.get(f"{target.base_url}/api/v1/users/2?x=1")
        s.get(f"{target.base_url}/api/v1/users/999999")
        s.post(f"{target.base_url}/api/v1/users", json={})
        s.get(f"{target.base_url}/metrics")  # not logged: scrapes are not traffic
    after_ns = time.time_ns()
    time.sleep(0.6)
    lines = read_lines(log_path)
    assert [(m, p, s) for _, m, p, s, _ in lines] == [
        ("GET", "/health", "200"),
        ("GET", "/api/v1/users/2", "200"),
        ("GET", "/api/v1/users/999999", "404"),
        ("POST", "/api/v1/users", "400"),
    ]
    arrivals = [int(fields[0]) for fields in lines]
    assert before_ns <= arrivals[0] and arrivals == sorted(arrivals) and arrivals[-1] <= after_ns
    assert all(int(fields[4]) >= 0 for fields in lines)


def test_log_is_flushed_at_shutdown(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    log_path = tmp_path / "access.log"
    target = start_target("--access-log", str(log_path))
    with requests.Session() as s:
        for _ in range(50):
            s.get(f"{target.base_url}/health")
    assert target.stop() == 0
    assert len(read_lines(log_path)) == 50
