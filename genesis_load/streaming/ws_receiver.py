"""The receive loop of a ``WebSocketSession``, run in its own greenlet.

Owns frame handling after the handshake: each data message is timestamped as soon as it is
decoded (``time.perf_counter()`` and ``time.time()``), counted (``ws_msgs_received``), then
given to its waiter (a request's reply: a ``ws_rtt`` sample and a ``WS`` request event) or
treated as a push (``ws_push_latency`` when it carries a server send time, then the user's
``on_push``). Pongs resolve pings; a close frame is answered and its code recorded. Frames
are decoded by websocket-client (``recv_frame`` and its continuation buffer).
"""

from __future__ import annotations

import json
import logging
import struct
import time
from typing import TYPE_CHECKING, Any

import websocket
from websocket import ABNF

from . import _metrics as m
from .errors import StreamFailure
from .ws_types import WSReply

if TYPE_CHECKING:
    from .ws_session import WebSocketSession

__all__ = ["close_code", "receive_loop"]

log = logging.getLogger(__name__)
_DATA = (ABNF.OPCODE_TEXT, ABNF.OPCODE_BINARY, ABNF.OPCODE_CONT)


def close_code(data: bytes) -> int:
    """The status code of a close frame; 1005 (RFC 6455: no status received) when absent."""
    return int(struct.unpack("!H", data[:2])[0]) if len(data) >= 2 else 1005


def receive_loop(session: WebSocketSession, ws: websocket.WebSocket) -> None:
    """Receive until the socket closes; always ends with ``session.closed(code, failure)``."""
    code, failure = 1006, None
    try:
        while True:
            frame = ws.recv_frame()
            now_s, wall_s = time.perf_counter(), time.time()
            if frame.opcode in _DATA:
                ws.cont_frame.validate(frame)
                ws.cont_frame.add(frame)
                if ws.cont_frame.is_fire(frame):
                    opcode, whole = ws.cont_frame.extract(frame)
                    _deliver(session, opcode, whole.data, now_s, wall_s)
            elif frame.opcode == ABNF.OPCODE_CLOSE:
                code = close_code(frame.data)
                if ws.connected:  # the server closed first: answer with its code
                    ws.send_close(code if code not in (1005, 1006) else 1000)
                break
            elif frame.opcode == ABNF.OPCODE_PING:
                ws.pong(frame.data)
            elif frame.opcode == ABNF.OPCODE_PONG:
                pending = session.pending.pings.get(bytes(frame.data))
                if pending is not None:
                    pending.result.set(WSReply(frame.data, None, now_s, wall_s))
    except (TimeoutError, websocket.WebSocketTimeoutException):
        idle_s = session.options.idle_timeout_s
        failure = StreamFailure("timeout", f"no frame for {idle_s:g} s on {session.url}")
    except (OSError, websocket.WebSocketException) as exc:
        failure = StreamFailure("closed", f"connection to {session.url} lost: {exc!r}")
    finally:
        session.closed(code, failure)


def _deliver(
    session: WebSocketSession, opcode: int, data: bytes, now_s: float, wall_s: float
) -> None:
    text: str | bytes = data
    payload: Any = None
    if opcode == ABNF.OPCODE_TEXT:
        text = data.decode("utf-8", "replace")
        if text[:1] in ("{", "["):
            try:
                payload = json.loads(text)
            except ValueError:
                payload = None
    m.WS_MSGS_RECEIVED.add(1)
    pending = session.pending.match(
        payload if payload is not None else text, session.options.id_key
    )
    if pending is not None:
        rtt_ms = None
        if pending.is_request:
            rtt_ms = (now_s - pending.sent_s) * 1000.0
            m.WS_RTT.add(rtt_ms, {"name": pending.name})
            session.fire_request(pending.name, rtt_ms, len(data), None)
        pending.result.set(WSReply(text, payload, now_s, wall_s, rtt_ms))
        return
    if session.pending.is_late(payload, session.options.id_key):
        return  # its request already failed as a timeout
    reply = WSReply(text, payload, now_s, wall_s)
    sent_wall_s = session.options.send_time(payload)
    if sent_wall_s is not None:
        m.WS_PUSH_LATENCY.add((wall_s - sent_wall_s) * 1000.0)
    if session.on_push is not None:
        try:
            session.on_push(reply)
        except Exception:  # a user's handler must not end the receive loop
            log.exception("on_push handler failed on %s", session.url)
