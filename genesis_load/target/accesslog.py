"""The counting access log: one line per request, buffered, flushed on a timer and at close.

Line format (space-separated, one per request, in completion order)::

    arrival_ns method path status duration_us

``arrival_ns`` is ``time.time_ns()`` when the request reached the middleware (wall clock, so a
load generator on the same host can line it up with its own send times); ``path`` is the raw
path without the query string; ``status`` is 444 for a connection dropped by a fault.

Owns the file and the flush task; it does not decide which requests are logged.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TextIO

__all__ = ["FLUSH_INTERVAL_S", "AccessLog"]

FLUSH_INTERVAL_S = 0.25


class AccessLog:
    """Appends to ``path``; call ``start()`` inside the event loop and ``close()`` at shutdown."""

    def __init__(self, path: str, *, flush_interval_s: float = FLUSH_INTERVAL_S) -> None:
        self.path = path
        self._flush_interval_s = flush_interval_s
        self._file: TextIO = open(path, "a", encoding="utf-8", buffering=1 << 20)  # noqa: SIM115
        self._task: asyncio.Task[None] | None = None

    def write(self, arrival_ns: int, method: str, path: str, status: int, duration_us: int) -> None:
        self._file.write(f"{arrival_ns} {method} {path} {status} {duration_us}\n")

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._flush_forever())

    async def _flush_forever(self) -> None:
        while True:
            await asyncio.sleep(self._flush_interval_s)
            self._file.flush()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._file.flush()
        self._file.close()
