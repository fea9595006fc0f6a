"""Arrival-rate execution: due iterations handed to free virtual users, or dropped.

Owns the loop that turns a pacer's due times into iteration tickets and the pool of waiting
VUs. Semantics are k6's ``constant-arrival-rate`` / ``ramping-arrival-rate``:

- each iteration has an intended start (``start + pacer.due_s(n)``); the loop sleeps until then
  (never drifting: due times come from the pacer's integral, and an overdue hit is issued at once);
- a free VU takes it; with none free the iteration is **dropped** and counted in
  ``dropped_iterations`` (k6's policy), or, with ``drop_policy="late"`` (wrk2's), queued and run
  as soon as a VU frees up, its lateness recorded as ``schedule_lag``;
- a drop asks the shape for more VUs, up to ``maxVUs``.

:class:`ArrivalLoop` is pure (clock, sleep and offer are injected) and tested on a fake clock;
:class:`VUPool` is the gevent side.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

import gevent
from gevent.queue import Queue

from ..pacing import Pacer

__all__ = ["ArrivalLoop", "Ticket", "VUPool"]


class Ticket(NamedTuple):
    """Iteration ``n`` of a scenario, intended to start at ``intended_s`` (wall clock).

    A named tuple: one is made per iteration, and a frozen dataclass costs three times as much
    to build."""

    n: int
    intended_s: float


class ArrivalLoop:
    """Issues tickets at their due times; counts started and dropped iterations exactly."""

    def __init__(
        self,
        pacer: Pacer,
        offer: Callable[[Ticket], bool],
        on_drop: Callable[[Ticket], None] = lambda t: None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], object] = gevent.sleep,
    ) -> None:
        self.pacer = pacer
        self.offer = offer
        self.on_drop = on_drop
        self.clock = clock
        self.sleep = sleep
        self.issued = 0
        self.started = 0
        self.dropped = 0
        self.finished = False

    def run(self, start_s: float) -> None:
        """Issue every planned ticket (returns when the schedule ends)."""
        while True:
            due_s = self.pacer.due_s(self.issued)
            if due_s is None:
                self.finished = True
                return
            intended_s = start_s + due_s
            wait_s = intended_s - self.clock()
            if wait_s > 0:
                self.sleep(wait_s)
            ticket = Ticket(self.issued, intended_s)
            self.issued += 1
            if self.offer(ticket):
                self.started += 1
            else:
                self.dropped += 1
                self.on_drop(ticket)


class VUPool:
    """VUs waiting for tickets. ``offer`` never blocks: it fails when no VU is waiting."""

    def __init__(self, drop_policy: str = "drop") -> None:
        if drop_policy not in ("drop", "late"):
            raise ValueError(f"drop_policy must be 'drop' or 'late', got {drop_policy!r}")
        self.drop_policy = drop_policy
        self._queue: Queue[Ticket] = Queue()
        self.waiting = 0

    @property
    def free(self) -> int:
        """VUs waiting with no ticket already on its way to them."""
        return self.waiting - self._queue.qsize()

    def offer(self, ticket: Ticket) -> bool:
        if self.drop_policy == "late" or self.free > 0:
            self._queue.put(ticket)
            return True
        return False

    def take(self) -> Ticket:
        """Block this VU until a ticket is due for it."""
        self.waiting += 1
        try:
            return self._queue.get()
        finally:
            self.waiting -= 1
