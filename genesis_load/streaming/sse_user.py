"""``SSEUser``: a Locust user that opens one SSE stream per task run.

Say which stream to open with class attributes, or override :meth:`SSEUser.stream_request`
for a method, a JSON body or headers::

    class Feed(SSEUser):
        stream_path = "/api/v1/stream/events?count=20&interval_ms=50"
        sse_options = SSEOptions(stall_s=2.0)

    class Chat(SSEUser):
        def on_stop(self) -> None:
        self.sse.close()

    def stream_request(self):
            return SSERequest("/v1/chat/completions", name="chat", method="POST",
                              json={"model": "nova", "stream": True, "messages": [...]})

:meth:`SSEUser.on_event` sees every event (return True to end the stream as completed).
A failed stream is followed by ``failure_backoff_s`` of rest, so an unreachable host is not
hammered in a tight loop; ``wait_time`` (default none) paces the rest.
"""

from __future__ import annotations

from typing import ClassVar

import gevent
from locust import User, constant, task

from .sse_session import SSESession
from .sse_types import SSEEvent, SSEOptions, SSERequest, StreamResult

__all__ = ["SSEUser"]


class SSEUser(User):
    """Abstract: set ``stream_path`` (and ``stream_name``) or override ``stream_request``."""

    abstract = True
    wait_time = constant(0)
    stream_path: ClassVar[str] = ""
    stream_name: ClassVar[str | None] = None
    sse_options: ClassVar[SSEOptions] = SSEOptions()
    failure_backoff_s: ClassVar[float] = 1.0

    def __init__(self, environment: object) -> None:
        super().__init__(environment)
        self.sse = SSESession(environment, self.host or "", options=self.sse_options)
        self.last_stream: StreamResult | None = None

    def on_stop(self) -> None:
        self.sse.close()

    def stream_request(self) -> SSERequest | str:
        """The stream the next task run opens (default: ``stream_path``)."""
        if not self.stream_path:
            raise NotImplementedError(
                f"{type(self).__name__}: set stream_path or override stream_request()"
            )
        return SSERequest(self.stream_path, name=self.stream_name)

    def on_event(self, event: SSEEvent) -> bool | None:
        """Called for every event; return True to end the stream as completed."""
        return None

    @task
    def open_stream(self) -> None:
        self.last_stream = self.sse.stream(self.stream_request(), self.on_event)
        if not self.last_stream.completed:
            gevent.sleep(self.failure_backoff_s)
