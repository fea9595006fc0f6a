"""A constant arrival rate: k6's ``constant-arrival-rate`` executor as a schedule.

Owns the arithmetic of one fixed rate, not the executor that acts on it. With
``rate_per_s = rate / time_unit_s`` (``rate`` iterations per ``time_unit_s``)::

    hits_at(t) = rate_per_s * t                 for 0 <= t <= duration_s
    due_s(n)   = n / rate_per_s                 hit 0 at t = 0, as k6 starts one at once
    planned    = #{n >= 0 : due_s(n) < duration_s} = ceil(rate_per_s * duration_s)

so 2/s for 5 s plans 10 hits (0, 0.5, ..., 4.5 s) and 3/s for 1.5 s plans 5.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._base import PacerBase, check_hit_index, is_positive

__all__ = ["ConstantPacer"]


@dataclass(frozen=True)
class ConstantPacer(PacerBase):
    """``rate`` hits per ``time_unit_s``, evenly spaced, for ``duration_s`` (``None``: forever).

    >>> ConstantPacer(rate=2, duration_s=5).due_s(3)
    1.5
    """

    rate: float
    time_unit_s: float = 1.0
    duration_s: float | None = None

    def __post_init__(self) -> None:
        problems = []
        if not is_positive(self.rate):
            problems.append(f"rate must be > 0, got {self.rate}")
        if not is_positive(self.time_unit_s):
            problems.append(f"time_unit_s must be > 0, got {self.time_unit_s}")
        if self.duration_s is not None and not is_positive(self.duration_s):
            problems.append(f"duration_s must be > 0 or None, got {self.duration_s}")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def rate_per_s(self) -> float:
        return self.rate / self.time_unit_s

    def _inside(self, elapsed_s: float) -> bool:
        return elapsed_s >= 0.0 and (self.duration_s is None or elapsed_s < self.duration_s)

    def rate_at(self, elapsed_s: float) -> float:
        return self.rate_per_s if self._inside(elapsed_s) else 0.0

    def hits_at(self, elapsed_s: float) -> float:
        t = max(0.0, elapsed_s)
        if self.duration_s is not None:
            t = min(t, self.duration_s)
        return t * self.rate / self.time_unit_s

    def time_at_hits(self, hits: float) -> float | None:
        if hits < 0:
            raise ValueError(f"hits must be >= 0, got {hits}")
        t = hits * self.time_unit_s / self.rate
        return t if self.duration_s is None or t < self.duration_s else None

    def due_s(self, n: int) -> float | None:
        check_hit_index(n)
        return self.time_at_hits(n)

    def rescaled(self, rate_factor: float, time_factor: float) -> ConstantPacer:
        duration_s = None if self.duration_s is None else self.duration_s * time_factor
        return ConstantPacer(self.rate * rate_factor, self.time_unit_s, duration_s)
