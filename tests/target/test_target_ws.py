"""The WebSocket endpoint with websocket-client: echo, subscribe, ping, errors."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import websocket
from target_helpers import sample

from genesis_load.target import TargetProcess


@pytest.fixture
def ws(target: TargetProcess) -> Iterator[websocket.WebSocket]:
    conn = websocket.create_connection(f"ws://127.0.0.1:{target.port}/ws", timeout=10)
    yield conn
    conn.close()


def send(conn: websocket.WebSocket, value: Any) -> None:
    conn.send(json.dumps(value))


def receive(conn: websocket.WebSocket) -> Any:
    return json.loads(conn.recv())


def test_echo_carries_server_timestamps(ws: websocket.WebSocket) -> None:
    before_ns = time.time_ns()
    send(ws, {"id": 42, "hello": "world"})
    reply = receive(ws)
    after_ns = time.time_ns()
    assert reply["type"] == "echo" and reply["id"] == 42
    assert reply["payload"] == {"id": 42, "hello": "world"}
    assert before_ns <= reply["server_recv_ns"] <= reply["server_send_ns"] <= after_ns


def test_subscription_pushes_count_ticks_at_the_rate(ws: websocket.WebSocket) -> None:
    started = time.monotonic()
    send(ws, {"type": "subscribe", "rate_per_s": 50, "count": 10, "id": "s1"})
    ticks = [receive(ws) for _ in range(10)]
    elapsed_s = time.monotonic() - started
    assert receive(ws) == {"type": "done", "count": 10, "id": "s1"}
    assert [t["seq"] for t in ticks] == list(range(1, 11))
    assert all(t["type"] == "tick" for t in ticks)
    spread_ns = ticks[-1]["server_send_ns"] - ticks[0]["server_send_ns"]
    assert spread_ns >= 0.9 * 9 / 50 * 1e9  # nine intervals of 20 ms
    assert elapsed_s >= 0.9 * 9 / 50


def test_protocol_ping_gets_a_pong(ws: websocket.WebSocket) -> None:
    ws.ping("are-you-there")
    opcode, frame = ws.recv_data_frame(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_PONG and frame.data == b"are-you-there"


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("{not json", "invalid JSON"),
        (b"\x00\x01", "binary frames not supported"),
        (json.dumps({"type": "subscribe", "rate_per_s": 0, "count": 2}), "invalid subscribe"),
    ],
    ids=["invalid JSON", "binary frame", "bad subscribe rate"],
)
def test_bad_messages_get_an_error_and_the_connection_stays_up(
    ws: websocket.WebSocket, frame: str | bytes, error: str
) -> None:
    if isinstance(frame, bytes):
        ws.send_binary(frame)
    else:
        ws.send(frame)
    reply = receive(ws)
    assert reply["type"] == "error" and error in reply["error"]
    send(ws, {"id": 1})
    assert receive(ws)["type"] == "echo"


def test_messages_are_counted_both_ways(start_target: Callable[..., TargetProcess]) -> None:
    target = start_target()
    conn = websocket.create_connection(f"ws://127.0.0.1:{target.port}/ws", timeout=10)
    try:
        for i in range(3):
            send(conn, {"id": i})
            receive(conn)
        send(conn, {"type": "subscribe", "rate_per_s": 1000, "count": 4})
        for _ in range(5):
            receive(conn)
    finally:
        conn.close()
    text = target.metrics_text()
    assert sample(text, "genesis_ws_messages_total", direction="in") == 4
    assert sample(text, "genesis_ws_messages_total", direction="out") == 3 + 4 + 1
