"""``WebSocketUser``: a Locust user holding one WebSocket (``self.ws``) for its life.

The socket is opened in ``on_start`` and closed (code 1000) in ``on_stop``; tasks call
``self.ws.request(...)``, ``request_async`` / ``wait``, ``wait_for``, ``send`` and ``ping``::

    class Echo(WebSocketUser):
        ws_path = "/ws"

        @task
        def echo(self):
            if self.ensure_connected():
                self.ws.request({"op": "echo"})   # ws_rtt, a "WS rtt" row in Locust's stats

Override :meth:`WebSocketUser.on_push` to see messages no request claimed.
"""

from __future__ import annotations

from typing import ClassVar

import gevent
from locust import User

from .ws_connect import ws_url
from .ws_session import WebSocketSession
from .ws_types import WSOptions, WSReply

__all__ = ["WebSocketUser"]


class WebSocketUser(User):
    """Abstract: set ``ws_path`` (or a full ``ws://`` URL) and ``ws_options``; add tasks."""

    abstract = True
    ws_path: ClassVar[str] = "/ws"
    ws_options: ClassVar[WSOptions] = WSOptions()
    #: rest after a failed connect before the next attempt
    failure_backoff_s: ClassVar[float] = 1.0

    def __init__(self, environment: object) -> None:
        super().__init__(environment)
        self.ws = WebSocketSession(
            environment,
            ws_url(self.host or "", self.ws_path),
            options=self.ws_options,
            on_push=self.on_push,
        )

    def on_start(self) -> None:
        self.ensure_connected()

    def on_stop(self) -> None:
        self.ws.close()

    def ensure_connected(self) -> bool:
        """Connected, reconnecting once if the socket closed; rests after a failure."""
        if self.ws.connected or self.ws.connect():
            return True
        gevent.sleep(self.failure_backoff_s)
        return False

    def on_push(self, reply: WSReply) -> None:
        """Called in the receive greenlet with each message no waiter claimed."""
