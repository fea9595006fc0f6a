"""``WebSocketSession``: one WebSocket, measured (metrics in ``_metrics.py``).

Owns the socket's life: connect (``ws_connect``), a receive loop in its own greenlet that
timestamps each frame as it is decoded and hands it to its waiter (``ws_pending``) or to the
push handler, sends from the caller's greenlet (so sends and receives overlap and pipelined
requests are never queued behind each other's replies), pings, and the close with its code.
Usable from any Locust user::

    ws = WebSocketSession.for_user(self, "/ws")
    if ws.connect():
        reply = ws.request({"op": "echo"})        # ws_rtt; matched by a fresh "id"
        waits = [ws.request_async({"n": i}) for i in range(10)]   # pipelined
        replies = [ws.wait(p) for p in waits]
        ws.ping()                                 # ws_ping
        ws.close()                                # ws_closes{code}, ws_sessions_closed_normally

Nothing here raises a stream failure to the caller: it is recorded, and the call returns
None (or False).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import gevent
import websocket

from . import _metrics as m
from ._fire import fire_stream_request
from ._open import WS_SESSIONS
from .errors import StreamFailure
from .ws_connect import open_websocket, ws_url
from .ws_pending import Pending, PendingTable, Predicate
from .ws_receiver import receive_loop
from .ws_types import NORMAL_CLOSE_CODES, WSOptions, WSReply

__all__ = ["PushHandler", "WebSocketSession"]

#: Called (in the receive greenlet) with every message no waiter claimed.
PushHandler = Callable[[WSReply], None]


class WebSocketSession:
    """A WebSocket to ``url`` with request/reply matching; reconnect by calling connect again."""

    def __init__(
        self,
        environment: Any,
        url: str,
        *,
        options: WSOptions | None = None,
        on_push: PushHandler | None = None,
    ) -> None:
        self.environment = environment
        self.url = url
        self.options = options or WSOptions()
        self.on_push = on_push
        self.close_code: int | None = None
        self.pending = PendingTable()
        self._ws: websocket.WebSocket | None = None
        self._receiver: gevent.Greenlet | None = None
        self._ids = itertools.count(1)
        self._start_s = 0.0

    @classmethod
    def for_user(cls, user: Any, path: str = "/ws", **kwargs: Any) -> WebSocketSession:
        return cls(user.environment, ws_url(user.host or "", path), **kwargs)

    @property
    def connected(self) -> bool:
        return self._ws is not None and self.close_code is None

    # -- connection -------------------------------------------------------------------------
    def connect(self) -> bool:
        """Open the socket and start receiving; False (recorded) when it cannot be opened."""
        if self.connected:
            return True
        if self._ws is not None:  # the last socket closed (server close, error): let it go
            self._ws.shutdown()
        self._start_s = time.perf_counter()
        try:
            ws = open_websocket(self.url, self.options)
        except StreamFailure as failure:
            self.record_failure("WS connect", failure, (time.perf_counter() - self._start_s) * 1000)
            return False
        handshake_ms = (time.perf_counter() - self._start_s) * 1000.0
        m.WS_CONNECTING.add(handshake_ms)
        self.fire_request("WS connect", handshake_ms, 0, None)
        self._ws, self.close_code, self.pending = ws, None, PendingTable()
        WS_SESSIONS.change(self.environment, +1)
        self._receiver = gevent.spawn(receive_loop, self, ws)
        return True

    def close(self, code: int = 1000, reason: str = "") -> int | None:
        """Send a close frame, wait (bounded) for the server's, and return the close code."""
        ws, receiver = self._ws, self._receiver
        if ws is None or receiver is None:
            return self.close_code
        if self.close_code is None:
            with contextlib.suppress(OSError, websocket.WebSocketException):
                ws.send_close(code, reason.encode())
            receiver.join(timeout=self.options.close_timeout_s)
        ws.shutdown()
        receiver.join(timeout=self.options.close_timeout_s)  # sees the shut socket: ends
        receiver.kill(block=True, timeout=1.0)
        if self.close_code is None:  # no closing handshake: abnormal (RFC 6455 1006)
            self.closed(1006, StreamFailure("closed", "no close frame from the server"))
        return self.close_code

    def closed(self, code: int, failure: StreamFailure | None) -> None:
        """The socket is gone (called once, by the receive loop or by ``close``)."""
        if self.close_code is not None:
            return
        self.close_code = code
        WS_SESSIONS.change(self.environment, -1)
        normal = code in NORMAL_CLOSE_CODES
        m.WS_CLOSES.add(1, {"code": str(code), "normal": "true" if normal else "false"})
        m.WS_CLOSED_NORMALLY.add(normal)
        m.WS_SESSION_DURATION.add((time.perf_counter() - self._start_s) * 1000.0)
        if failure is not None and failure.reason == "timeout":
            self.record_failure("WS session", failure, self.options.idle_timeout_s * 1000.0)
        self.pending.fail_all(failure or StreamFailure("closed", f"closed with code {code}"))

    # -- messages ---------------------------------------------------------------------------
    def send(self, message: object) -> bool:
        """Send text (str), binary (bytes) or JSON (anything else); False if it failed."""
        ws = self._ws
        if ws is None or self.close_code is not None:
            self.record_failure(
                "WS send", StreamFailure("closed", f"send on a closed socket {self.url}")
            )
            return False
        try:
            if isinstance(message, bytes):
                ws.send_binary(message)
            else:
                ws.send(message if isinstance(message, str) else json.dumps(message))
        except (OSError, websocket.WebSocketException) as exc:
            self.record_failure("WS send", StreamFailure("closed", f"send failed: {exc}"))
            return False
        m.WS_MSGS_SENT.add(1)
        return True

    def request_async(
        self,
        message: Mapping[str, Any] | str,
        *,
        match: Predicate | None = None,
        name: str = "WS rtt",
    ) -> Pending | None:
        """Send and register the wait for its reply: by ``id_key`` (a fresh id is added to a
        JSON object without one) or by ``match``. None when the send failed."""
        match_id = None
        if match is None:
            if not isinstance(message, Mapping):
                raise ValueError("a text message needs match= to find its reply")
            key = self.options.id_key
            match_id = message.get(key)
            if match_id is None:
                match_id = next(self._ids)
                message = {**message, key: match_id}
        pending = Pending(name, 0.0, match_id, match)
        self.pending.add(pending)  # before sending: the reply may come back at once
        pending.sent_s = time.perf_counter()
        if not self.send(message):
            self.pending.discard(pending)
            return None
        return pending

    def request(self, message: Mapping[str, Any] | str, **kwargs: Any) -> WSReply | None:
        """Send and wait for the matched reply (``ws_rtt``); None on timeout or close."""
        timeout_s = kwargs.pop("timeout_s", None)
        pending = self.request_async(message, **kwargs)
        return None if pending is None else self.wait(pending, timeout_s)

    def wait_for(
        self, predicate: Predicate, timeout_s: float | None = None, name: str = "WS wait"
    ) -> WSReply | None:
        """Wait for an incoming message ``predicate(payload)`` accepts (not an RTT sample)."""
        pending = Pending(name, time.perf_counter(), predicate=predicate, is_request=False)
        self.pending.add(pending)
        return self.wait(pending, timeout_s)

    def wait(self, pending: Pending, timeout_s: float | None = None) -> WSReply | None:
        """The message ``pending`` awaits; a timeout or close is recorded and gives None."""
        timeout_s = self.options.reply_timeout_s if timeout_s is None else timeout_s
        try:
            return pending.get(timeout_s)
        except StreamFailure as failure:
            self.pending.expire(pending)
            self.record_failure(
                pending.name, failure, (time.perf_counter() - pending.sent_s) * 1000.0
            )
            return None

    def ping(self, timeout_s: float | None = None) -> float | None:
        """A protocol ping; the time to its pong in ms (``ws_ping``), None on failure."""
        ws = self._ws
        if ws is None or self.close_code is not None:
            return None
        payload = f"p{next(self._ids)}".encode()
        pending = Pending("WS ping", time.perf_counter(), is_request=False)
        self.pending.pings[payload] = pending
        try:
            ws.ping(payload)
        except (OSError, websocket.WebSocketException) as exc:
            self.pending.pings.pop(payload, None)
            self.record_failure("WS ping", StreamFailure("closed", f"ping failed: {exc}"))
            return None
        reply = self.wait(pending, timeout_s)
        self.pending.pings.pop(payload, None)
        if reply is None:
            return None
        ping_ms = (reply.received_s - pending.sent_s) * 1000.0
        m.WS_PING.add(ping_ms)
        self.fire_request("WS ping", ping_ms, 0, None)
        return ping_ms

    # -- recording --------------------------------------------------------------------------
    def fire_request(self, name: str, ms: float, length: int, exc: StreamFailure | None) -> None:
        """One ``WS`` row in Locust's statistics (ignored by genesis-load's http_* metrics)."""
        m.WS_REQUEST_FAILED.add(exc is not None, {"name": name})
        fire_stream_request(
            self.environment, request_type="WS", name=name, response_time_ms=ms,
            response_length=length, stream="ws", exception=exc,
        )  # fmt: skip

    def record_failure(self, name: str, failure: StreamFailure, ms: float = 0.0) -> None:
        """Record a failure (``ws_failures{reason}`` and a failed ``WS`` request event)."""
        m.WS_FAILURES.add(1, {"reason": failure.reason})
        self.fire_request(name, ms, 0, failure)
