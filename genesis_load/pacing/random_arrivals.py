"""Randomized arrivals around any base pacer's rate: Poisson and gamma renewal processes.

Owns the mapping of random "hit space" positions to due times; the random positions
themselves come from :mod:`._gaps` (deterministic per seed, any index in any order, bounded
memory). Rates and expected counts are the base's.

Time rescaling: if ``H = base.hits_at`` and ``S_1 < S_2 < ...`` are the arrival positions of a
unit-rate process, then ``H⁻¹(S_1), H⁻¹(S_2), ...`` arrive at the base's rate, in expectation,
at every moment. With exponential gaps (``PoissonPacer``) that is exactly a non-homogeneous
Poisson process of intensity ``base.rate_at``; with gamma gaps of coefficient of variation
``burstiness`` (``GammaPacer``) arrivals are more regular (< 1) or burstier (> 1) than Poisson.
So::

    due_s(n) = H⁻¹(g_0 + ... + g_n),   g_i ~ Gamma(1/b², b²)  (mean 1, CV b)

The first hit is one random gap after the start (not at 0), so a Poisson pacer's expected count
in ``[0, t]`` is exactly ``hits_at(t)``. ``GammaPacer(base, 1, seed)`` and
``PoissonPacer(base, seed)`` give identical schedules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ._base import Pacer, PacerBase, check_hit_index, time_at_hits
from ._gaps import GammaPositions
from .transform import scaled

__all__ = ["GammaPacer", "PoissonPacer"]


def _check_seed(seed: int) -> list[str]:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        return [f"seed must be an integer >= 0, got {seed!r}"]
    return []


@dataclass(frozen=True)
class GammaPacer(PacerBase):
    """Gamma-distributed gaps in hit space around ``base``'s rate; ``burstiness`` is their CV.

    >>> from genesis_load.pacing import ConstantPacer
    >>> p = GammaPacer(ConstantPacer(100, duration_s=60), burstiness=0.5, seed=7)
    >>> p.due_s(0) == GammaPacer(ConstantPacer(100, duration_s=60), 0.5, 7).due_s(0)
    True
    """

    base: Pacer
    burstiness: float
    seed: int
    _positions: GammaPositions = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = _check_seed(self.seed)
        if not (math.isfinite(self.burstiness) and self.burstiness > 0):
            problems.append(f"burstiness must be > 0, got {self.burstiness}")
        if problems:
            raise ValueError("; ".join(problems))
        shape = 1.0 / (self.burstiness * self.burstiness)
        object.__setattr__(self, "_positions", GammaPositions(shape, self.seed))

    @property
    def duration_s(self) -> float | None:
        return self.base.duration_s

    def rate_at(self, elapsed_s: float) -> float:
        return self.base.rate_at(elapsed_s)

    def hits_at(self, elapsed_s: float) -> float:
        return self.base.hits_at(elapsed_s)

    def time_at_hits(self, hits: float) -> float | None:
        return time_at_hits(self.base, hits)

    def due_s(self, n: int) -> float | None:
        check_hit_index(n)
        return time_at_hits(self.base, self._positions.position(n))

    def rescaled(self, rate_factor: float, time_factor: float) -> GammaPacer:
        return GammaPacer(scaled(self.base, rate_factor, time_factor), self.burstiness, self.seed)


class PoissonPacer(GammaPacer):
    """A non-homogeneous Poisson process at ``base``'s rate: ``GammaPacer`` with burstiness 1."""

    def __init__(self, base: Pacer, seed: int) -> None:
        super().__init__(base, 1.0, seed)

    def __repr__(self) -> str:
        return f"PoissonPacer(base={self.base!r}, seed={self.seed!r})"

    def rescaled(self, rate_factor: float, time_factor: float) -> PoissonPacer:
        return PoissonPacer(scaled(self.base, rate_factor, time_factor), self.seed)
