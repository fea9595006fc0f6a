"""Cutting time into intervals: a greenlet that calls ``roll`` every ``interval_s`` seconds.

Owns when an interval closes and nothing about what closing does. Due times come from the
start (``start + k * interval``), so they never drift; a tick that falls behind (a blocked
loop) is skipped rather than burst. A roll is never cut in half: stopping waits for the one in
progress (``lock``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import gevent
from gevent.lock import Semaphore

__all__ = ["IntervalTicker"]


class IntervalTicker:
    def __init__(self, roll: Callable[[float], None], interval_s: float) -> None:
        self._roll = roll
        self.interval_s = interval_s
        #: Held while an interval is summarised (which yields).
        self.lock = Semaphore()
        self._greenlet: gevent.Greenlet | None = None
        self._phase: float | None = None

    def rephase(self, start_s: float, interval_s: float) -> None:
        """From the next tick on, tick on the grid ``start_s + k * interval_s`` (a worker that
        learns the master's grid after it started)."""
        self.interval_s = interval_s
        self._phase = start_s

    def roll_now(self) -> None:
        with self.lock:
            self._roll(time.time())

    def start(self, start_s: float) -> None:
        self.stop()
        self._greenlet = gevent.spawn(self._loop, start_s)

    def _loop(self, start_s: float) -> None:
        due = start_s + self.interval_s
        while True:
            gevent.sleep(max(0.0, due - time.time()))
            self.roll_now()
            due += self.interval_s
            now = time.time()
            if self._phase is not None:  # the next grid line of the new phase
                phase, self._phase = self._phase, None
                due = phase + (math.floor((now - phase) / self.interval_s) + 1) * self.interval_s
            if due < now:  # fell behind (a blocked loop): skip, never burst
                due = now + self.interval_s

    def stop(self) -> None:
        if self._greenlet is not None:
            with self.lock:  # never kill it in the middle of a roll
                self._greenlet.kill(block=False)
            self._greenlet = None
