"""Fixtures for the streaming tests: independent servers as subprocesses, and a recorder.

* ``sse_server`` / ``plain_sse_server`` / ``ws_server`` (module scope): base URLs of servers
  genesis-load did not write (sse-starlette on uvicorn; the standard library's http.server;
  the ``websockets`` package), each on 127.0.0.1 port 0, stopped by PID at teardown.
* ``recorder``: every metric sample and every ``events.request`` fired during the test, with a
  real Locust ``Environment`` to hand to sessions and users.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from locust.env import Environment

from genesis_load.metrics.metric import Metric, samples

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
#: PIDs of the servers started here, by base URL (for tests that account for their CPU)
SERVER_PIDS: dict[str, int] = {}


def _start(script: str) -> Iterator[tuple[subprocess.Popen[str], int]]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the server prints its port first thing
        if not line.startswith("listening "):
            proc.kill()
            raise RuntimeError(f"{script} did not start: {line!r} {proc.stderr.read()!r}")
        yield proc, int(line.split()[1])
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="module")
def sse_server() -> Iterator[str]:
    for proc, port in _start("sse_server.py"):
        SERVER_PIDS[url := f"http://127.0.0.1:{port}"] = proc.pid
        yield url


@pytest.fixture(scope="module")
def plain_sse_server() -> Iterator[str]:
    for _, port in _start("plain_sse_server.py"):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def ws_server() -> Iterator[str]:
    for proc, port in _start("ws_server.py"):
        SERVER_PIDS[url := f"ws://127.0.0.1:{port}"] = proc.pid
        yield url


@pytest.fixture
def server_pids() -> dict[str, int]:
    """PIDs of the servers started here, by base URL."""
    return SERVER_PIDS


@dataclass
class Recorder:
    """Samples ``(metric name, value, tags)`` and request events, in arrival order."""

    environment: Environment
    samples: list[tuple[str, float, dict[str, str]]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def on_sample(self, metric: Metric, value: float, tags: Mapping[str, str] | None) -> None:
        self.samples.append((metric.name, float(value), dict(tags or {})))

    def on_request(self, **kwargs: Any) -> None:
        self.requests.append(kwargs)

    def values(self, name: str, **tags: str) -> list[float]:
        return [
            v
            for n, v, t in self.samples
            if n == name and all(t.get(k) == want for k, want in tags.items())
        ]

    def total(self, name: str, **tags: str) -> float:
        return sum(self.values(name, **tags))


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder(Environment())
    samples.add_listener(rec.on_sample)
    rec.environment.events.request.add_listener(rec.on_request)
    started = time.monotonic()
    yield rec
    samples.remove_listener(rec.on_sample)
    assert time.monotonic() - started < 120
