"""Messages awaited on a WebSocket: requests matched by id or predicate, and pings.

Owns the matching table the receive loop consults for every incoming message: a JSON object
whose ``id_key`` value is awaited resolves that request; otherwise the first awaited
predicate that accepts the payload resolves its waiter; otherwise the message is a push.
Waiting uses gevent's ``AsyncResult`` with a timeout, so a receive never blocks a sender.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import gevent
from gevent.event import AsyncResult

from .errors import StreamFailure
from .ws_types import WSReply

__all__ = ["Pending", "PendingTable"]

Predicate = Callable[[Any], bool]


@dataclass(eq=False)
class Pending:
    """One awaited message. ``get`` waits for it; the receive loop ``resolve``-s it."""

    name: str
    sent_s: float
    match_id: Hashable | None = None
    predicate: Predicate | None = None
    is_request: bool = True  # a reply to something sent: its time is an RTT sample
    result: AsyncResult = field(default_factory=AsyncResult)

    def get(self, timeout_s: float) -> WSReply:
        """The message; raises StreamFailure (``timeout`` or ``closed``)."""
        try:
            reply: WSReply = self.result.get(timeout=timeout_s)
        except gevent.Timeout:
            raise StreamFailure("timeout", f"{self._what()} within {timeout_s:g} s") from None
        return reply

    def _what(self) -> str:
        if self.match_id is not None:
            return f"no reply to message {self.match_id!r} ({self.name})"
        return f"no matching message ({self.name})"


class PendingTable:
    """Awaited requests by id, awaited predicates in order, and pings by payload."""

    def __init__(self) -> None:
        self.by_id: dict[Hashable, Pending] = {}
        self.by_predicate: list[Pending] = []
        self.pings: dict[bytes, Pending] = {}
        #: ids whose wait timed out: a late reply is dropped, not taken for a push
        self.expired: set[Hashable] = set()

    def add(self, pending: Pending) -> None:
        if pending.match_id is not None:
            self.by_id[pending.match_id] = pending
        else:
            self.by_predicate.append(pending)

    def discard(self, pending: Pending) -> None:
        if pending.match_id is not None and self.by_id.get(pending.match_id) is pending:
            del self.by_id[pending.match_id]
        elif pending in self.by_predicate:
            self.by_predicate.remove(pending)

    def expire(self, pending: Pending) -> None:
        """Its wait timed out: forget it, and remember its id (at most 1024 of them)."""
        self.discard(pending)
        if pending.match_id is not None:
            if len(self.expired) >= 1024:
                self.expired.clear()
            self.expired.add(pending.match_id)

    def is_late(self, payload: Any, id_key: str) -> bool:
        """A reply to a request whose wait already timed out (forgotten once seen)."""
        if not self.expired or not isinstance(payload, dict):
            return False
        key = payload.get(id_key)
        if isinstance(key, Hashable) and key in self.expired:
            self.expired.discard(key)
            return True
        return False

    def match(self, payload: Any, id_key: str) -> Pending | None:
        """The waiter this message resolves (removed from the table), or None for a push."""
        if self.by_id and isinstance(payload, dict):
            key = payload.get(id_key)
            if isinstance(key, Hashable) and key in self.by_id:
                return self.by_id.pop(key)
        for pending in self.by_predicate:
            if pending.predicate is not None and pending.predicate(payload):
                self.by_predicate.remove(pending)
                return pending
        return None

    def fail_all(self, failure: StreamFailure) -> None:
        """The socket is gone: every waiter gets ``failure``."""
        waiting = [*self.by_id.values(), *self.by_predicate, *self.pings.values()]
        self.by_id.clear()
        self.by_predicate.clear()
        self.pings.clear()
        for pending in waiting:
            pending.result.set_exception(failure)
