"""A piecewise-linear arrival rate: k6's ``ramping-arrival-rate`` executor as a schedule.

Owns the exact integral of the rate and its exact inverse, nothing about running it.

Stage ``k`` starts at ``t_k`` (the sum of earlier durations), lasts ``d_k > 0`` and moves the
rate linearly from ``r0`` (the previous target, or ``start_rate`` for the first stage) to
``r1`` (its target), both in hits per second (``target / time_unit_s``). With ``τ = t - t_k``
and ``a = (r1 - r0) / (2 d_k)``, the hits the stage has produced by ``τ`` are::

    h_k(τ) = r0 τ + a τ²  =  τ (r0 + r(τ)) / 2,     r(τ) = r0 + (r1 - r0) τ / d_k
    c_k    = Σ_{j<k} d_j (r0_j + r1_j) / 2          (cumulative hits at the stage's start)
    hits_at(t) = c_k + h_k(t - t_k)

Hit ``n`` is due where ``hits_at`` reaches ``n``: find the stage with ``c_k <= n < c_{k+1}``
(so a stage that contributes no hits, a hold at 0, is never chosen: hits are not due there and
wait for the rate to pick up) and solve ``a τ² + r0 τ - m = 0`` for ``m = n - c_k``::

    ramp up or hold (r1 >= r0):  τ = 2 m / (r0 + sqrt(r0² + 2 (r1 - r0) m / d_k))
    ramp down       (r1 <  r0):  τ = d_k - s,  s = 2 R / (r1 + sqrt(r1² + 2 (r0 - r1) R / d_k))
                                 with R = d_k (r0 + r1) / 2 - m  (hits left in the stage)

Both are the ``2c / (-b - sqrt(b² - 4ac))`` form of the quadratic's root: every term under the
root and in the denominator is non-negative, so nothing cancels, and a ramp down is solved from
the stage's end, where its rate is the smaller. A hold (``r0 == r1``) reduces to ``m / r0``.
Due times are therefore within a few ulps of the analytic ones whatever ``n`` is, and since each
comes from the integral since the start, errors never accumulate over millions of hits.

For example 50 → 1000/s over 15 minutes plans ``900 (50 + 1000) / 2 = 472,500`` hits.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ._base import PacerBase, check_hit_index, is_positive

__all__ = ["Stage", "StagesPacer"]


@dataclass(frozen=True)
class Stage:
    """Move the rate linearly to ``target`` (per time unit) over ``duration_s`` (> 0) seconds.

    A sudden jump is a very short stage (``Stage(0.001, 1500)``) followed by a hold.
    """

    duration_s: float
    target: float

    def __post_init__(self) -> None:
        problems = []
        if not is_positive(self.duration_s):
            problems.append(f"stage duration_s must be > 0, got {self.duration_s}")
        if not (math.isfinite(self.target) and self.target >= 0):
            problems.append(f"stage target must be >= 0, got {self.target}")
        if problems:
            raise ValueError("; ".join(problems))


@dataclass(frozen=True)
class _Segment:
    """One stage in seconds and hits per second, with where it starts."""

    start_s: float
    duration_s: float
    r0: float
    r1: float
    hits_before: float
    hits: float  # d (r0 + r1) / 2

    def hits_after(self, tau: float) -> float:
        """``h(τ) = τ (r0 + r(τ)) / 2``, exact at both ends."""
        if tau >= self.duration_s:
            return self.hits
        f = tau / self.duration_s
        return tau * (self.r0 + (self.r0 * (1.0 - f) + self.r1 * f)) / 2.0

    def time_into(self, m: float) -> float:
        """τ with ``h(τ) = m``, for ``0 <= m <= hits`` (see the module docstring)."""
        r0, r1, d = self.r0, self.r1, self.duration_s
        if r1 >= r0:
            if m <= 0.0:
                return 0.0
            return 2.0 * m / (r0 + math.sqrt(r0 * r0 + 2.0 * (r1 - r0) * m / d))
        left = self.hits - m
        if left <= 0.0:
            return d
        return d - 2.0 * left / (r1 + math.sqrt(r1 * r1 + 2.0 * (r0 - r1) * left / d))


@dataclass(frozen=True)
class StagesPacer(PacerBase):
    """A rate starting at ``start_rate`` and moving linearly through ``stages``.

    Rates are per ``time_unit_s`` as in k6; the schedule lasts the sum of the stage durations.

    >>> p = StagesPacer(start_rate=0, stages=[Stage(10, 100)])
    >>> p.hits_at(10), p.due_s(125)
    (500.0, 5.0)
    """

    start_rate: float
    stages: Sequence[Stage]
    time_unit_s: float = 1.0
    _segments: tuple[_Segment, ...] = field(init=False, repr=False, compare=False)
    _starts_s: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _hits_before: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", tuple(self.stages))
        problems = []
        if not (math.isfinite(self.start_rate) and self.start_rate >= 0):
            problems.append(f"start_rate must be >= 0, got {self.start_rate}")
        if not self.stages:
            problems.append("stages must not be empty")
        if not is_positive(self.time_unit_s):
            problems.append(f"time_unit_s must be > 0, got {self.time_unit_s}")
        if problems:
            raise ValueError("; ".join(problems))
        segments = []
        start_s, hits_before, r0 = 0.0, 0.0, self.start_rate / self.time_unit_s
        for stage in self.stages:
            r1 = stage.target / self.time_unit_s
            d = stage.duration_s
            hits = d * (r0 + r1) / 2.0
            segments.append(_Segment(start_s, d, r0, r1, hits_before, hits))
            start_s += d
            hits_before += hits
            r0 = r1
        object.__setattr__(self, "_segments", tuple(segments))
        object.__setattr__(self, "_starts_s", (*(s.start_s for s in segments), start_s))
        object.__setattr__(self, "_hits_before", (*(s.hits_before for s in segments), hits_before))

    @property
    def duration_s(self) -> float:
        return self._starts_s[-1]

    @property
    def total_hits(self) -> float:
        """``hits_at(duration_s)``: the integral of the whole schedule."""
        return self._hits_before[-1]

    def _segment_at(self, elapsed_s: float) -> _Segment | None:
        if elapsed_s < 0.0 or elapsed_s >= self.duration_s:
            return None
        return self._segments[bisect.bisect_right(self._starts_s, elapsed_s) - 1]

    def rate_at(self, elapsed_s: float) -> float:
        seg = self._segment_at(elapsed_s)
        if seg is None:
            return 0.0
        f = (elapsed_s - seg.start_s) / seg.duration_s
        return seg.r0 * (1.0 - f) + seg.r1 * f

    def hits_at(self, elapsed_s: float) -> float:
        if elapsed_s <= 0.0:
            return 0.0
        seg = self._segment_at(elapsed_s)
        if seg is None:
            return self.total_hits
        return seg.hits_before + seg.hits_after(elapsed_s - seg.start_s)

    def time_at_hits(self, hits: float) -> float | None:
        if hits < 0:
            raise ValueError(f"hits must be >= 0, got {hits}")
        k = bisect.bisect_right(self._hits_before, hits) - 1
        if k >= len(self._segments):
            return None
        seg = self._segments[k]
        t = seg.start_s + seg.time_into(hits - seg.hits_before)
        return t if t < self.duration_s else None

    def due_s(self, n: int) -> float | None:
        check_hit_index(n)
        return self.time_at_hits(n)

    def rescaled(self, rate_factor: float, time_factor: float) -> StagesPacer:
        stages = [Stage(s.duration_s * time_factor, s.target * rate_factor) for s in self.stages]
        return StagesPacer(self.start_rate * rate_factor, stages, self.time_unit_s)
