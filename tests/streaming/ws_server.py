"""An independent WebSocket server for the streaming tests: the ``websockets`` package.

Run as ``python tests/streaming/ws_server.py``; prints ``listening <port>``. Paths:

* ``/echo?delay_ms=D``: each JSON message is answered after D ms, each in its own task (so
  pipelined messages are held concurrently, not one after another) with
  ``{"id": <its id>, "held_ms": <recv -> send on the server>, "echo": <message>}``.
* ``/push?rate_per_s=R&count=N``: N pushes ``{"type": "push", "seq": i, "sent_at": <epoch s>}``
  due at ``start + (i - 1) / R``, then ``{"type": "done"}``; echoes like /echo meanwhile.
* ``/close?code=C``: answers the first message, then closes with code C.
* ``/reject``: refuses the upgrade with HTTP 403.
* ``/stats`` (a message ``{"type": "stats"}`` on any path): ``{"type": "stats", "received": n,
  "sent": m}`` counted by this server over all connections.
"""

from __future__ import annotations

import asyncio
import json
import time
from http import HTTPStatus
from urllib.parse import parse_qs, urlparse

from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

COUNTS = {"received": 0, "sent": 0}


async def _send(ws: ServerConnection, value: object) -> None:
    await ws.send(json.dumps(value))
    COUNTS["sent"] += 1


async def _echo(ws: ServerConnection, message: dict[str, object], delay_s: float) -> None:
    received = time.perf_counter()
    await asyncio.sleep(max(0.0, received + delay_s - time.perf_counter()))
    held_ms = (time.perf_counter() - received) * 1000
    await _send(ws, {"id": message.get("id"), "held_ms": held_ms, "echo": message})


async def _push(ws: ServerConnection, rate_per_s: float, count: int) -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    for seq in range(1, count + 1):
        await asyncio.sleep(max(0.0, start + (seq - 1) / rate_per_s - loop.time()))
        await _send(ws, {"type": "push", "seq": seq, "sent_at": time.time()})
    await _send(ws, {"type": "done"})


async def handler(ws: ServerConnection) -> None:
    assert ws.request is not None
    url = urlparse(ws.request.path)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    delay_s = float(query.get("delay_ms", 0)) / 1000
    tasks: set[asyncio.Task[None]] = set()
    if url.path == "/push":
        rate, count = float(query.get("rate_per_s", 20)), int(query.get("count", 10))
        tasks.add(asyncio.create_task(_push(ws, rate, count)))
    async for raw in ws:
        COUNTS["received"] += 1
        message = json.loads(raw)
        if message.get("type") == "stats":
            await _send(ws, {"type": "stats", "id": message.get("id"), **COUNTS})
            continue
        task = asyncio.create_task(_echo(ws, message, delay_s))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        if url.path == "/close":
            await task
            await ws.close(int(query.get("code", 1000)), "test close")
            return


def reject(ws: ServerConnection, request: Request) -> Response | None:
    if request.path.startswith("/reject"):
        return ws.respond(HTTPStatus.FORBIDDEN, "upgrade refused\n")
    return None


async def main() -> None:
    async with serve(
        handler, "127.0.0.1", 0, process_request=reject, compression=None, ping_interval=None
    ) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"listening {port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
