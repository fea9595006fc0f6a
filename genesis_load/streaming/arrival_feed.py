"""A streamed HTTP body as the bytes arrive, with arrival times and a moving deadline.

Why: sseclient-py iterates whatever it is given. Given a ``requests`` response it reads
128-byte blocks, and on a non-chunked body (no Content-Length, ended by closing the
connection) ``iter_content(chunk_size=None)`` reads to the end, so a short event waits for
later bytes. :class:`ArrivalFeed` instead yields the result of ``raw.read1()``: one receive,
whatever the socket has (chunked or not), so each event is parsed, and timed, when its last
byte arrives.

Every read is bounded by ``deadline()`` (a gevent timeout, so a silent server or a server that
only sends keepalive comments cannot hold a greenlet forever). Owns no metrics and no parsing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import gevent
import requests
import urllib3.exceptions

from .errors import StreamFailure

__all__ = ["ArrivalFeed", "Deadline"]

#: ``() -> (perf_counter deadline in s, reason, message)`` for the next read.
Deadline = Callable[[], tuple[float, str, str]]

_BROKEN = (
    OSError,
    urllib3.exceptions.HTTPError,
    requests.exceptions.RequestException,
)


class ArrivalFeed:
    """Iterates ``response.raw`` in pieces as they arrive; records when and how much."""

    def __init__(self, response: Any, deadline: Deadline, read_bytes: int = 65536) -> None:
        self._raw = response.raw
        self._deadline = deadline
        self._read_bytes = read_bytes
        #: ``time.perf_counter()`` and ``time.time()`` when the last piece arrived.
        self.arrived_s = time.perf_counter()
        self.arrived_wall_s = time.time()
        #: body bytes received so far
        self.bytes = 0

    def __iter__(self) -> Iterator[bytes]:
        while True:
            data = self.read()
            if not data:
                return
            yield data

    def read(self) -> bytes:
        """One receive (``b""`` at the end of the body); raises StreamFailure past the deadline."""
        due_s, reason, message = self._deadline()
        remaining_s = due_s - time.perf_counter()
        if remaining_s <= 0:
            raise StreamFailure(reason, message)
        timer = gevent.Timeout(remaining_s)
        timer.start()
        try:
            data: bytes = self._raw.read1(self._read_bytes)
        except gevent.Timeout as exc:
            if exc is not timer:
                raise
            raise StreamFailure(reason, message) from None
        except _BROKEN as exc:
            raise StreamFailure("broken", f"connection lost mid-stream: {exc}") from exc
        finally:
            timer.close()
        self.arrived_s = time.perf_counter()
        self.arrived_wall_s = time.time()
        self.bytes += len(data)
        return data
