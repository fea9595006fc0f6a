"""Bad input never crashes the target: 413, 405, 404, garbage HTTP, unhandled exceptions."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator

import pytest
import requests
from aiohttp import web
from target_helpers import request_counts

from genesis_load.target import TargetConfig, TargetProcess, create_app


def test_oversized_body_is_413_json(start_target: Callable[..., TargetProcess]) -> None:
    target = start_target("--max-body-bytes", "1000")
    url = f"{target.base_url}/api/v1/users"
    declared = requests.post(url, data=b"x" * 2000, timeout=5)
    chunked = requests.post(url, data=iter([b"{", b" " * 1500, b"}"]), timeout=5)  # no length
    ws_like = requests.post(f"{target.base_url}/v1/chat/completions", data=b"y" * 5000, timeout=5)
    for response in (declared, chunked):
        assert response.status_code == 413
        assert response.json()["status"] == 413
    assert ws_like.status_code == 413
    assert requests.get(f"{target.base_url}/health", timeout=5).ok
    counts = request_counts(target.metrics_text())
    assert counts[("/api/v1/users", "POST", "413")] == 2
    assert counts[("/v1/chat/completions", "POST", "413")] == 1


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("DELETE", "/health", 405),
        ("PUT", "/api/v1/users/1", 405),
        ("GET", "/does/not/exist", 404),
        ("GET", "/api/v1/agents/BLAZE/chat", 405),
    ],
    ids=["DELETE /health", "PUT a user", "unknown path", "GET on the chat route"],
)
def test_routing_errors_are_json(
    target: TargetProcess, method: str, path: str, status: int
) -> None:
    response = requests.request(method, f"{target.base_url}{path}", timeout=5)
    assert response.status_code == status
    assert response.json()["status"] == status
    if status == 405:
        assert "Allow" in response.headers


def test_garbage_on_the_socket_does_not_hurt_the_server(target: TargetProcess) -> None:
    with socket.create_connection(("127.0.0.1", target.port), timeout=5) as sock:
        sock.sendall(b"\x16\x03\x01 this is not HTTP\r\n\r\n")
        reply = sock.recv(4096)
    assert reply.split(b" ")[1] == b"400"
    assert requests.get(f"{target.base_url}/health", timeout=5).ok


class InProcessServer:
    """create_app() served on a loopback port by an event loop in a background thread."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app, access_log=None)
        self.port = 0
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> InProcessServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.port = self.runner.addresses[0][1]

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def app_with_a_broken_route() -> Iterator[InProcessServer]:
    async def broken(request: web.Request) -> web.Response:
        raise ZeroDivisionError("a bug in a handler")

    app = create_app(TargetConfig(port=0, dataset_users=10, dataset_workouts=10, dataset_plans=2))
    app.router.add_get("/api/v1/broken", broken)
    with InProcessServer(app) as server:
        yield server


def test_unhandled_exception_becomes_a_counted_500_json(
    app_with_a_broken_route: InProcessServer, caplog: pytest.LogCaptureFixture
) -> None:
    base = f"http://127.0.0.1:{app_with_a_broken_route.port}"
    response = requests.get(f"{base}/api/v1/broken", timeout=5)
    assert response.status_code == 500
    assert response.json() == {"error": "internal server error", "status": 500}
    assert requests.get(f"{base}/health", timeout=5).ok
    metrics = requests.get(f"{base}/metrics", timeout=5).text
    assert request_counts(metrics)[("/api/v1/broken", "GET", "500")] == 1
    assert "ZeroDivisionError" in caplog.text
