"""Fixtures for the AI tests: the independent OpenAI-compatible server, and a recorder.

* ``openai_server`` (module scope): base URL of ``openai_server.py`` (Starlette +
  sse-starlette on uvicorn) on 127.0.0.1 port 0, stopped by PID at teardown.
* ``recorder``: the streaming tests' recorder (every metric sample and request event, with a
  real Locust ``Environment``).
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.streaming.conftest import Recorder, _start
from tests.streaming.conftest import recorder as recorder  # the fixture, re-exported

__all__ = ["Recorder", "server_stats"]


@pytest.fixture(scope="module")
def openai_server() -> Iterator[str]:
    for _, port in _start("../ai/openai_server.py"):
        url = f"http://127.0.0.1:{port}"
        yield url


def server_stats(base_url: str, clear: bool = False) -> list[dict[str, Any]]:
    """The server's own record of every request (and clear it, with ``clear``)."""
    req = urllib.request.Request(f"{base_url}/stats", method="DELETE" if clear else "GET")
    with urllib.request.urlopen(req, timeout=10) as resp:
        requests: list[dict[str, Any]] = json.loads(resp.read())["requests"]
    return requests
