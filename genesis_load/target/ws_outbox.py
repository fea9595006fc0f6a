"""``Outbox``: one WebSocket connection's sends, bounded so a slow reader cannot hurt the others.

A client that does not read makes the server's unsent bytes (the transport's write buffer)
grow. The rule, per connection::

    a message is written only while the unsent bytes are at most ws_send_buffer_bytes
    (one message larger than that is written when nothing is pending);
    a send that has waited ws_send_timeout_s for room (or for aiohttp's drain) drops the
    connection: a close frame with code 1008 (policy violation, "slow reader"), then the
    socket is aborted; counted in genesis_ws_dropped_total{reason="slow_reader"}

so the memory held for a connection is bounded by the buffer limit plus one message, and a
slow client costs the event loop a 10-ms poll while it is behind, never a blocked loop.
The transport's high-water mark is set to the same limit, so aiohttp's own drain never waits
on the fast path. After the drop every send raises :class:`SlowReaderError`, which ends the
connection's handler and its subscriptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from asyncio import Transport

from aiohttp import WSCloseCode, web

from genesis_load.target.metrics import TargetMetrics

__all__ = ["POLL_S", "Outbox", "SlowReaderError"]

log = logging.getLogger("genesis_load.target")
POLL_S = 0.01  # how often a blocked send looks at the buffer again
CLOSE_GRACE_S = 0.5  # how long the close handshake may take before the socket is aborted
# A text frame's header, at most (2 + 8 bytes; the server does not mask).
FRAME_OVERHEAD = 10


class SlowReaderError(ConnectionError):
    """The connection was dropped because its client did not read fast enough."""


class Outbox:
    """Bounded sends on one prepared ``WebSocketResponse``; see the module docstring."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        transport: Transport | None,
        metrics: TargetMetrics,
        *,
        max_buffer_bytes: int,
        send_timeout_s: float,
    ) -> None:
        self.ws = ws
        self.transport = transport
        self.metrics = metrics
        self.max_buffer_bytes = max_buffer_bytes
        self.send_timeout_s = send_timeout_s
        self.dropped = False
        if transport is not None:
            transport.set_write_buffer_limits(high=max_buffer_bytes)

    def _pending(self) -> int:
        transport = self.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("WebSocket transport closed")
        return transport.get_write_buffer_size()

    def _room_for(self, size: int) -> bool:
        pending = self._pending()
        return pending == 0 or pending + size <= self.max_buffer_bytes

    async def send(self, text: str) -> None:
        """Send one text message, or drop the connection and raise :class:`SlowReaderError`."""
        if self.dropped:
            raise SlowReaderError("slow reader: connection dropped")
        size = len(text) + FRAME_OVERHEAD
        if self._pending() + size <= self.max_buffer_bytes:
            await self.ws.send_str(text)  # stays under the high-water mark: aiohttp never waits
        else:
            try:
                async with asyncio.timeout(self.send_timeout_s):
                    while not self._room_for(size):
                        await asyncio.sleep(POLL_S)
                    await self.ws.send_str(text)
            except TimeoutError:
                await self.drop()
                raise SlowReaderError("slow reader: connection dropped") from None
        self.metrics.ws_messages["out"].inc()

    async def drop(self) -> None:
        """Close with 1008 (best effort, the client may never read it), then abort the socket."""
        if self.dropped:
            return
        self.dropped = True
        self.metrics.ws_dropped["slow_reader"].inc()
        pending = self.transport.get_write_buffer_size() if self.transport is not None else 0
        log.info("dropped a slow WebSocket reader: %d bytes still unsent", pending)
        with contextlib.suppress(Exception):  # TimeoutError included
            async with asyncio.timeout(CLOSE_GRACE_S):
                await self.ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"slow reader")
        if self.transport is not None:
            self.transport.abort()
