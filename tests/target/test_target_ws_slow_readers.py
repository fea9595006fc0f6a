"""WebSocket clients that never read cannot stall the target: bounded sends, dropped with 1008."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
import websocket
from target_helpers import sample

from genesis_load.target import TargetProcess

SLOW_READERS = 20
TINY_RECEIVE_BUFFER = ((socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),)


def health_worst_s(target: TargetProcess, for_s: float) -> float:
    """The slowest of /health requests sent one after another for ``for_s`` seconds."""
    worst = 0.0
    deadline = time.monotonic() + for_s
    with requests.Session() as session:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                session.get(f"{target.base_url}/health", timeout=2).raise_for_status()
            except requests.Timeout:
                return float("inf")
            worst = max(worst, time.monotonic() - started)
            time.sleep(0.02)
    return worst


def read_all(conn: websocket.WebSocket, into: list[dict[str, Any]]) -> None:
    while True:
        message = json.loads(conn.recv())
        into.append(message)
        if message["type"] == "done":
            return


def close_code(conn: websocket.WebSocket, timeout_s: float = 10) -> int | str:
    """Read what the server sent until its close frame; the close code (or how it ended)."""
    conn.settimeout(timeout_s)
    try:
        while True:
            opcode, frame = conn.recv_data_frame(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return int.from_bytes(frame.data[:2], "big")
    except (OSError, websocket.WebSocketException) as exc:
        return type(exc).__name__


@pytest.mark.slow
def test_twenty_clients_that_never_read_are_dropped_and_health_stays_fast(
    start_target: Callable[..., TargetProcess],
) -> None:
    target = start_target("--ws-send-buffer-bytes", "65536", "--ws-send-timeout-s", "0.5")
    url = f"ws://127.0.0.1:{target.port}/ws"
    slow = []
    for _ in range(SLOW_READERS):  # each asks for 10000 ticks/s and never reads one
        conn = websocket.create_connection(url, timeout=10)
        conn.send(json.dumps({"type": "subscribe", "rate_per_s": 10_000, "count": 1_000_000}))
        slow.append(conn)
    reader = websocket.create_connection(url, timeout=10)
    reader.send(json.dumps({"type": "subscribe", "rate_per_s": 100, "count": 100, "id": "ok"}))
    received: list[dict[str, Any]] = []
    thread = threading.Thread(target=read_all, args=(reader, received), daemon=True)
    thread.start()
    try:
        # the subscriptions run far behind schedule: the loop must still serve everyone
        assert health_worst_s(target, for_s=2.0) < 1.0
        for conn in slow:  # now overflow their buffers quickly: 8 echoes of 400 kB each
            for _ in range(8):
                conn.send(json.dumps({"id": 1, "pad": "x" * 400_000}))
        deadline = time.monotonic() + 20
        dropped = 0.0
        while time.monotonic() < deadline and dropped < SLOW_READERS:
            dropped = sample(
                target.metrics_text(), "genesis_ws_dropped_total", reason="slow_reader"
            )
            time.sleep(0.1)
        assert dropped == SLOW_READERS
        assert health_worst_s(target, for_s=0.5) < 1.0
        thread.join(timeout=10)
        assert [m["seq"] for m in received if m["type"] == "tick"] == list(range(1, 101))
        assert received[-1] == {"type": "done", "count": 100, "id": "ok"}
        # the server let go of them: only the healthy reader's connection is still in flight
        deadline = time.monotonic() + 5
        while sample(target.metrics_text(), "genesis_inflight_requests") > 1:
            assert time.monotonic() < deadline, "dropped connections still held"
            time.sleep(0.05)
        # the close frame (1008) is queued behind what the client never read, and the socket is
        # aborted 0.5 s later: a client reading now sees 1008 or, if the abort came first, EOF
        for conn in slow[:3]:
            assert close_code(conn) in (1008, "WebSocketConnectionClosedException")
    finally:
        reader.close()
        for conn in slow:
            conn.shutdown()
    text = target.metrics_text()
    assert sample(text, "genesis_ws_dropped_total", reason="slow_reader") == SLOW_READERS


@pytest.mark.slow
def test_a_reader_that_catches_up_is_never_dropped(
    start_target: Callable[..., TargetProcess],
) -> None:
    target = start_target("--ws-send-buffer-bytes", "65536", "--ws-send-timeout-s", "2")
    conn = websocket.create_connection(
        f"ws://127.0.0.1:{target.port}/ws", timeout=10, sockopt=TINY_RECEIVE_BUFFER
    )
    try:
        for i in range(8):  # 3.2 MB of echoes queued before the client reads any
            conn.send(json.dumps({"id": i, "pad": "y" * 400_000}))
        time.sleep(0.3)
        ids = [json.loads(conn.recv())["id"] for _ in range(8)]
    finally:
        conn.close()
    assert ids == list(range(8))
    assert sample(target.metrics_text(), "genesis_ws_dropped_total", reason="slow_reader") == 0
