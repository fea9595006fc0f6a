"""Scheduling as pure math: when is hit ``n`` of an arrival-rate scenario due?

A pacer is vegeta's model: ``pace(elapsed_s, hits) -> (wait_s, stop)``, a function of numbers
that never sleeps and never reads a clock. Due times come from the integral of the rate since
the run's start, so an executor that sleeps until ``start + due_s(n)`` never drifts and catches
up after a late wake-up. Nothing here imports Locust or gevent; the executors that act on
pacers live in ``genesis_load.executors``.

* :class:`ConstantPacer`: k6 ``constant-arrival-rate``.
* :class:`StagesPacer` / :class:`Stage`: k6 ``ramping-arrival-rate`` (linear ramps, exact).
* :class:`PoissonPacer`, :class:`GammaPacer`: random arrivals around any pacer's rate,
  deterministic per seed.
* :func:`scaled` (profiles), :func:`share` (distributed workers).
* :func:`pacer_from_config`, :func:`parse_duration_s`: k6 scenario options, validated.

Design note: ``docs/design/0004-pacing.md``.
"""

from ._base import Pacer
from .config import pacer_from_config
from .constant import ConstantPacer
from .duration import parse_duration_s
from .random_arrivals import GammaPacer, PoissonPacer
from .stages import Stage, StagesPacer
from .transform import scaled, share

__all__ = [
    "ConstantPacer",
    "GammaPacer",
    "Pacer",
    "PoissonPacer",
    "Stage",
    "StagesPacer",
    "pacer_from_config",
    "parse_duration_s",
    "scaled",
    "share",
]
