"""The WebSocket endpoint ``GET /ws``: echo with timestamps, subscriptions, errors.

Client -> server text messages (JSON)::

    {"type": "subscribe", "rate_per_s": R in (0, 10000], "count": N in [1, 1000000], "id"?: X}
        -> N x {"type": "tick", "seq": i, "server_send_ns": ...} at R/s (due-time paced),
           then {"type": "done", "count": N, "id": X}
    any other JSON value, e.g. {"id": X, ...}
        -> {"type": "echo", "id": X, "server_recv_ns": ..., "server_send_ns": ..., "payload": ...}
    invalid JSON, a binary frame, a bad subscribe or more than 16 running subscriptions
        -> {"type": "error", "error": "...", ...}; the connection stays open

Protocol pings are answered by aiohttp (autoping). A connection counts as in flight until it
closes. With the ``malformed_rate`` fault, a tick may be sent as a truncated, non-JSON frame.
Messages are parsed by ``json_body.parse_json`` (too deep or too long an integer is an error
message, not a crash). Every send goes through the connection's ``ws_outbox.Outbox``: a client
that does not read is dropped (close 1008) once its unsent bytes stay over
``--ws-send-buffer-bytes`` for ``--ws-send-timeout-s``; a subscription behind its schedule
yields to the event loop after every tick, so no connection can starve the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping

from aiohttp import WSMsgType, web

from genesis_load.target.json_body import JsonInputError, parse_json
from genesis_load.target.responses import dumps
from genesis_load.target.state import STATE, TargetState
from genesis_load.target.ws_outbox import Outbox

__all__ = ["websocket"]

log = logging.getLogger("genesis_load.target")
MAX_RATE_PER_S = 10_000.0
MAX_COUNT = 1_000_000
MAX_SUBSCRIPTIONS = 16  # running at once on one connection


async def websocket(request: web.Request) -> web.WebSocketResponse:
    state = request.app[STATE]
    ws = web.WebSocketResponse(autoping=True, max_msg_size=state.config.max_body_bytes)
    await ws.prepare(request)
    state.websockets.add(ws)
    outbox = Outbox(
        ws,
        request.transport,
        state.metrics,
        max_buffer_bytes=state.config.ws_send_buffer_bytes,
        send_timeout_s=state.config.ws_send_timeout_s,
    )
    pushes: set[asyncio.Task[None]] = set()
    count_in = state.metrics.ws_messages["in"].inc
    try:
        async for msg in ws:
            count_in()
            if msg.type == WSMsgType.TEXT:
                recv_ns = time.time_ns()
                try:
                    value = parse_json(msg.data)
                except JsonInputError as exc:
                    await _send(outbox, {"type": "error", "error": f"invalid JSON: {exc}"})
                    continue
                if isinstance(value, Mapping) and value.get("type") == "subscribe":
                    if len(pushes) >= MAX_SUBSCRIPTIONS:
                        error = f"at most {MAX_SUBSCRIPTIONS} subscriptions at once"
                        await _send(outbox, {"type": "error", "error": error})
                        continue
                    task = asyncio.create_task(_subscribe(outbox, state, value, request.path))
                    pushes.add(task)
                    task.add_done_callback(pushes.discard)
                    continue
                echo_id = value.get("id") if isinstance(value, Mapping) else None
                await _send(
                    outbox,
                    {
                        "type": "echo",
                        "id": echo_id,
                        "server_recv_ns": recv_ns,
                        "server_send_ns": time.time_ns(),
                        "payload": value,
                    },
                )
            elif msg.type == WSMsgType.BINARY:
                await _send(outbox, {"type": "error", "error": "binary frames not supported"})
    except ConnectionError:
        log.debug("WebSocket client left")
    except Exception:
        log.exception("error on a WebSocket connection")
    finally:
        for task in list(pushes):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await task
    return ws


async def _send(outbox: Outbox, value: object) -> None:
    await outbox.send(dumps(value))


async def _subscribe(
    outbox: Outbox, state: TargetState, spec: Mapping[str, object], path: str
) -> None:
    rate = spec.get("rate_per_s")
    count = spec.get("count")
    problems: dict[str, str] = {}
    if (
        isinstance(rate, bool)
        or not isinstance(rate, int | float)
        or not (0 < rate <= MAX_RATE_PER_S)
    ):
        problems["rate_per_s"] = f"must be a number in (0, {MAX_RATE_PER_S:g}]"
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        problems["count"] = f"must be an integer in [1, {MAX_COUNT}]"
    if problems or not isinstance(rate, int | float) or not isinstance(count, int):
        await _send(outbox, {"type": "error", "error": "invalid subscribe", "problems": problems})
        return
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        for seq in range(1, count + 1):
            # behind schedule the delay is 0: still a yield, so other clients are served
            await asyncio.sleep(max(0.0, start + (seq - 1) / rate - loop.time()))
            text = dumps({"type": "tick", "seq": seq, "server_send_ns": time.time_ns()})
            if state.faults.malformed(path):
                text = text[: len(text) // 2]
            await outbox.send(text)
        await _send(outbox, {"type": "done", "count": count, "id": spec.get("id")})
    except ConnectionError:
        log.debug("WebSocket client left during a subscription")
