"""The ``Pacer`` protocol and what every built-in pacer shares.

Owns the contract between a schedule and whoever runs it: a pacer answers, for a hit index or
an elapsed time measured from the run's start, when hits are due and how many are expected. It
does not own time: nothing here sleeps or reads a clock, so schedules are tested on plain
numbers. Executors (``genesis_load.executors``) own the sleeping, the virtual users and the
``dropped_iterations`` accounting.

Conventions, for every pacer:

* ``hits_at(t) = ∫₀ᵗ rate_at(s) ds`` is continuous and non-decreasing; it stops growing at
  ``duration_s``.
* hits are numbered from 0; ``due_s(n)`` is non-decreasing in ``n`` and is ``None`` exactly
  when the hit falls at or after ``duration_s``; ``planned_hits()`` counts the others.
* For uniform (non-random) pacers hit ``n`` is due where the integral reaches ``n``:
  ``due_s(n) = sup{t : hits_at(t) <= n}``. Taking the supremum means a hit is never due inside
  a stretch where the rate is 0: it waits for the rate to pick up again.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Protocol, runtime_checkable

__all__ = ["Pacer", "PacerBase", "count_due", "pace_from_due", "time_at_hits"]


@runtime_checkable
class Pacer(Protocol):
    """When is hit ``n`` due? A pure function of the hit index and of time since the start.

    Implement these five members to write your own (due times must be non-decreasing in
    ``n``). An executor uses a pacer like this, sleeping being its own business::

        start = clock()
        hits = 0
        while True:
            wait_s, stop = pacer.pace(clock() - start, hits)
            if stop:
                break
            sleep(wait_s)          # 0 when the hit is already overdue: catch up, never drift
            start_iteration()
            hits += 1
    """

    @property
    def duration_s(self) -> float | None:
        """Planned length of the schedule in seconds; ``None`` when unbounded."""
        ...

    def rate_at(self, elapsed_s: float) -> float:
        """Intended arrivals per second at ``elapsed_s``."""
        ...

    def hits_at(self, elapsed_s: float) -> float:
        """Expected arrivals in ``[0, elapsed_s]``: the integral of ``rate_at``."""
        ...

    def due_s(self, n: int) -> float | None:
        """Intended start of hit ``n`` (0-based) since the start; ``None`` past the end."""
        ...

    def pace(self, elapsed_s: float, hits: int) -> tuple[float, bool]:
        """vegeta's ``Pace``: seconds to wait until hit ``hits`` is due (0 if overdue), stop."""
        ...

    def planned_hits(self) -> int | None:
        """How many hits are due before ``duration_s``; ``None`` when unbounded."""
        ...


def pace_from_due(due_s: float | None, elapsed_s: float) -> tuple[float, bool]:
    """``(wait_s, stop)`` for a hit due at ``due_s``: never negative, stop when there is none."""
    if due_s is None:
        return 0.0, True
    return max(0.0, due_s - elapsed_s), False


def count_due(pacer: Pacer) -> int | None:
    """The number of hits whose due time is before ``pacer.duration_s`` (``None``: unbounded).

    Relies only on ``due_s`` being non-decreasing, so the count agrees with ``due_s`` by
    construction: an exponential search for the first hit that is ``None``, then a binary search,
    which is ``O(log n)`` calls of ``due_s``.
    """
    if pacer.duration_s is None:
        return None
    if pacer.due_s(0) is None:
        return 0
    known, hi = 0, 1  # due_s(known) is not None
    while pacer.due_s(hi) is not None:
        known, hi = hi, hi * 2
    while hi - known > 1:
        mid = (known + hi) // 2
        if pacer.due_s(mid) is None:
            hi = mid
        else:
            known = mid
    return hi


def time_at_hits(pacer: Pacer, hits: float) -> float | None:
    """``sup{t : pacer.hits_at(t) <= hits}``, the inverse of ``hits_at``; ``None`` past the end.

    Built-in pacers answer exactly (:meth:`PacerBase.time_at_hits`); any other pacer is inverted
    numerically by bisection on its ``hits_at``, to the last bit of a float.
    """
    if isinstance(pacer, PacerBase):
        return pacer.time_at_hits(hits)
    if hits < 0:
        raise ValueError(f"hits must be >= 0, got {hits}")
    end = pacer.duration_s
    if end is not None:
        if pacer.hits_at(end) <= hits:
            return None
        hi = end
    else:
        hi = 1.0
        while pacer.hits_at(hi) <= hits:
            if hi > 1e300:
                return None  # the rate stays at 0 forever: the hit never comes
            hi *= 2.0
    lo = 0.0  # invariant: hits_at(lo) <= hits < hits_at(hi), unless lo is still 0
    if pacer.hits_at(lo) > hits:
        return 0.0
    for _ in range(2100):  # enough halvings to reach adjacent floats from any range
        mid = lo + (hi - lo) / 2
        if mid in (lo, hi):
            break
        if pacer.hits_at(mid) <= hits:
            lo = mid
        else:
            hi = mid
    return lo


def check_hit_index(n: int) -> None:
    if n < 0:
        raise ValueError(f"hit index must be >= 0, got {n}")


def is_positive(value: float) -> bool:
    return math.isfinite(value) and value > 0


class PacerBase(ABC):
    """What the built-in pacers share: ``pace`` and ``planned_hits`` from ``due_s``, plus the
    exact inverse of ``hits_at`` and a rescaled copy of themselves (see ``transform.scaled``)."""

    @property
    @abstractmethod
    def duration_s(self) -> float | None: ...

    @abstractmethod
    def rate_at(self, elapsed_s: float) -> float: ...

    @abstractmethod
    def hits_at(self, elapsed_s: float) -> float: ...

    @abstractmethod
    def due_s(self, n: int) -> float | None: ...

    @abstractmethod
    def time_at_hits(self, hits: float) -> float | None:
        """``sup{t : hits_at(t) <= hits}``: when the expected count reaches ``hits``."""

    @abstractmethod
    def rescaled(self, rate_factor: float, time_factor: float) -> PacerBase:
        """The same kind of schedule with rates x ``rate_factor`` and times x ``time_factor``."""

    def pace(self, elapsed_s: float, hits: int) -> tuple[float, bool]:
        return pace_from_due(self.due_s(hits), elapsed_s)

    def planned_hits(self) -> int | None:
        return count_due(self)
