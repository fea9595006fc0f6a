"""New schedules from old: ``scaled`` for profiles and ``share`` for distributed runs.

Owns the two pacer-to-pacer transforms; neither knows about profiles or workers.

``scaled(p, rate_factor=f, time_factor=g)`` stretches time by ``g`` and multiplies rates by
``f``::

    rate'(t) = f rate(t / g)      hits'(t) = f g hits(t / g)      duration' = g duration

A built-in pacer comes back as the same kind of pacer with scaled parameters: a random one keeps
its seed and burstiness over a scaled base, and a worker's share becomes the same share of the
scaled schedule (so its own integral is ``max(0, f g hits(t / g) - index) / count``: the offset
of its first hit is not scaled). Any other pacer is treated as uniform arrivals over its scaled
``hits_at`` (hit ``n`` due where ``hits'`` reaches ``n``).

``share(p, index, count)`` is worker ``index``'s part of a schedule split between ``count``
workers: it takes the global hits ``n`` with ``n % count == index``, so its hit ``m`` is the
global hit ``m * count + index``. The shares interleave (worker 0 has hits 0, k, 2k, ...;
worker 1 has 1, k + 1, ...), so each worker runs at ``1/count`` of the rate at every moment and
their union is the global schedule exactly, with no burst at any boundary. Its expected count is
``max(0, hits(t) - index) / count``, the continuous form of "how many of my hits are due".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._base import Pacer, PacerBase, check_hit_index, time_at_hits

__all__ = ["ScaledPacer", "SharedPacer", "scaled", "share"]


def scaled(pacer: Pacer, rate_factor: float = 1.0, time_factor: float = 1.0) -> Pacer:
    """``pacer`` with every rate x ``rate_factor`` and every duration x ``time_factor``.

    >>> from genesis_load.pacing import ConstantPacer
    >>> scaled(ConstantPacer(100, duration_s=60), rate_factor=0.1, time_factor=0.5)
    ConstantPacer(rate=10.0, time_unit_s=1.0, duration_s=30.0)
    """
    problems = [
        f"{name} must be > 0, got {value}"
        for name, value in (("rate_factor", rate_factor), ("time_factor", time_factor))
        if not (math.isfinite(value) and value > 0)
    ]
    if problems:
        raise ValueError("; ".join(problems))
    if isinstance(pacer, PacerBase):
        return pacer.rescaled(rate_factor, time_factor)
    return ScaledPacer(pacer, rate_factor, time_factor)


def share(pacer: Pacer, index: int, count: int) -> Pacer:
    """Worker ``index``'s part of ``pacer`` split ``count`` ways: hits ``n % count == index``.

    >>> from genesis_load.pacing import ConstantPacer
    >>> [share(ConstantPacer(10), 1, 4).due_s(m) for m in range(3)]
    [0.1, 0.5, 0.9]
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be an integer >= 1, got {count!r}")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
        raise ValueError(f"index must be an integer in [0, {count}), got {index!r}")
    if count == 1:
        return pacer
    if isinstance(pacer, SharedPacer):  # a share of a share is a finer share of the original
        return SharedPacer(pacer.base, pacer.index + index * pacer.count, pacer.count * count)
    return SharedPacer(pacer, index, count)


@dataclass(frozen=True)
class SharedPacer(PacerBase):
    """The hits ``n`` of ``base`` with ``n % count == index``; build it with :func:`share`."""

    base: Pacer
    index: int
    count: int

    @property
    def duration_s(self) -> float | None:
        return self.base.duration_s

    def rate_at(self, elapsed_s: float) -> float:
        if self.base.hits_at(elapsed_s) <= self.index:
            return 0.0
        return self.base.rate_at(elapsed_s) / self.count

    def hits_at(self, elapsed_s: float) -> float:
        return max(0.0, self.base.hits_at(elapsed_s) - self.index) / self.count

    def time_at_hits(self, hits: float) -> float | None:
        if hits < 0:
            raise ValueError(f"hits must be >= 0, got {hits}")
        return time_at_hits(self.base, hits * self.count + self.index)

    def due_s(self, n: int) -> float | None:
        check_hit_index(n)
        return self.base.due_s(n * self.count + self.index)

    def planned_hits(self) -> int | None:
        total = self.base.planned_hits()
        if total is None:
            return None
        return max(0, (total - self.index + self.count - 1) // self.count)

    def rescaled(self, rate_factor: float, time_factor: float) -> PacerBase:
        return SharedPacer(scaled(self.base, rate_factor, time_factor), self.index, self.count)


@dataclass(frozen=True)
class ScaledPacer(PacerBase):
    """Uniform arrivals over a foreign pacer's rescaled rate; built by :func:`scaled`."""

    base: Pacer
    rate_factor: float
    time_factor: float

    @property
    def duration_s(self) -> float | None:
        end = self.base.duration_s
        return None if end is None else end * self.time_factor

    def rate_at(self, elapsed_s: float) -> float:
        return self.rate_factor * self.base.rate_at(elapsed_s / self.time_factor)

    def hits_at(self, elapsed_s: float) -> float:
        factor = self.rate_factor * self.time_factor
        return factor * self.base.hits_at(elapsed_s / self.time_factor)

    def time_at_hits(self, hits: float) -> float | None:
        if hits < 0:
            raise ValueError(f"hits must be >= 0, got {hits}")
        t = time_at_hits(self.base, hits / (self.rate_factor * self.time_factor))
        if t is None:
            return None
        t *= self.time_factor
        end = self.duration_s
        return t if end is None or t < end else None

    def due_s(self, n: int) -> float | None:
        check_hit_index(n)
        return self.time_at_hits(n)

    def rescaled(self, rate_factor: float, time_factor: float) -> ScaledPacer:
        return ScaledPacer(
            self.base, self.rate_factor * rate_factor, self.time_factor * time_factor
        )
