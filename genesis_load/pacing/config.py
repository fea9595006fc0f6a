"""Pacers from k6-style scenario options, with every problem reported at once.

Owns the scenario keys of k6's two arrival-rate executors and their checks; the executor
layer owns the rest (virtual users, start time, graceful stop), whose keys are accepted here
and ignored. Keys (k6's names)::

    executor         "constant-arrival-rate" | "ramping-arrival-rate"      required
    timeUnit         duration > 0, default "1s": rates are per timeUnit
    rate             number > 0                      constant-arrival-rate, required
    duration         duration > 0                    constant-arrival-rate, required
    startRate        number >= 0, default 0          ramping-arrival-rate
    stages           [{duration > 0, target >= 0}]   ramping-arrival-rate, required, not empty
    arrivals         "uniform" (default) | "poisson" | "gamma"                 genesis-load
    burstiness       number > 0, the gaps' CV       required with arrivals "gamma"
    seed             integer >= 0, default 0         with arrivals "poisson" or "gamma"

Every problem is one line ``<where>.<key path>: <what is wrong>``, e.g.
``profiles/ci.toml: scenarios.spike.stages[2].duration: missing``; all are raised together in
one :class:`~genesis_load.errors.ConfigError` before any pacer is built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..errors import ConfigError
from ._base import Pacer
from .constant import ConstantPacer
from .duration import _show, parse_duration_s
from .random_arrivals import GammaPacer, PoissonPacer
from .stages import Stage, StagesPacer

__all__ = ["ARRIVALS", "EXECUTORS", "IGNORED_KEYS", "pacer_from_config"]

_COMMON_KEYS = frozenset({"executor", "timeUnit", "arrivals", "burstiness", "seed"})
#: The keys of each executor besides the common ones.
EXECUTORS: dict[str, frozenset[str]] = {
    "constant-arrival-rate": frozenset({"rate", "duration"}),
    "ramping-arrival-rate": frozenset({"startRate", "stages"}),
}
#: Accepted and left to the executor layer.
IGNORED_KEYS = frozenset(
    {"exec", "startTime", "tags", "gracefulStop", "maxVUs", "preAllocatedVUs", "dropPolicy"}
)
ARRIVALS = ("uniform", "poisson", "gamma")
_STAGE_KEYS = frozenset({"duration", "target"})
_ALL_KEYS = _COMMON_KEYS | IGNORED_KEYS | frozenset().union(*EXECUTORS.values())


def pacer_from_config(cfg: Mapping[str, object], where: str) -> Pacer:
    """The pacer a k6 arrival-rate scenario describes; ``where`` prefixes every problem.

    >>> p = pacer_from_config(
    ...     {"executor": "ramping-arrival-rate", "startRate": 50,
    ...      "stages": [{"duration": "15m", "target": 1000}]},
    ...     "profiles/stress.toml: scenarios.stress",
    ... )
    >>> p.planned_hits()
    472500
    """
    if not isinstance(cfg, Mapping):
        raise ConfigError(f"{where}: must be a table of scenario options, got {_show(cfg)}")
    check = _Checker(where)
    executor = cfg.get("executor")
    own_keys: frozenset[str] = _ALL_KEYS
    if executor is None:
        check.problem("executor", "missing")
    elif executor not in EXECUTORS:
        expected = " or ".join(f'"{name}"' for name in EXECUTORS)
        check.problem("executor", f"unknown executor {_show(executor)} (expected {expected})")
    else:
        own_keys = _COMMON_KEYS | IGNORED_KEYS | EXECUTORS[str(executor)]
    for key in cfg:
        if key not in _ALL_KEYS:
            check.problem(key, "unknown key")
        elif key not in own_keys:
            check.problem(key, f"not an option of {executor}")

    time_unit_s = check.duration(cfg, "timeUnit", required=False)
    constant = executor == "constant-arrival-rate"
    ramping = executor == "ramping-arrival-rate"
    rate = check.number(cfg, "rate", required=constant, minimum=0.0, inclusive=False)
    duration_s = check.duration(cfg, "duration", required=constant)
    start_rate = check.number(cfg, "startRate", required=False, minimum=0.0, inclusive=True)
    stages = check.stages(cfg, required=ramping)

    arrivals = cfg.get("arrivals", "uniform")
    if arrivals not in ARRIVALS:
        expected = ", ".join(f'"{a}"' for a in ARRIVALS)
        check.problem("arrivals", f"must be one of {expected}, got {_show(arrivals)}")
    burstiness = check.number(
        cfg, "burstiness", required=arrivals == "gamma", minimum=0.0, inclusive=False
    )
    if "burstiness" in cfg and arrivals in ("uniform", "poisson"):
        check.problem("burstiness", f'only used with arrivals "gamma", not {_show(arrivals)}')
    seed = check.seed(cfg)
    if "seed" in cfg and arrivals == "uniform":
        check.problem("seed", 'only used with arrivals "poisson" or "gamma"')

    if check.problems:
        raise ConfigError(check.problems)
    unit_s = 1.0 if time_unit_s is None else time_unit_s
    base: Pacer
    if constant:
        assert rate is not None and duration_s is not None
        base = ConstantPacer(rate, unit_s, duration_s)
    else:
        assert stages is not None
        base = StagesPacer(start_rate or 0.0, stages, unit_s)
    if arrivals == "poisson":
        return PoissonPacer(base, seed)
    if arrivals == "gamma":
        assert burstiness is not None
        return GammaPacer(base, burstiness, seed)
    return base


class _Checker:
    """Reads typed values out of a scenario table, collecting problems instead of raising."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[str] = []

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def problem(self, key: str, what: str) -> None:
        self.problems.append(f"{self.path(key)}: {what}")

    def number(
        self,
        table: Mapping[str, object],
        key: str,
        *,
        required: bool,
        minimum: float,
        inclusive: bool,
    ) -> float | None:
        if key not in table:
            if required:
                self.problem(key, "missing")
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, f"must be a number, got {_show(value)}")
            return None
        if not math.isfinite(value):
            self.problem(key, f"must be a finite number, got {_show(value)}")
            return None
        if value < minimum or (value == minimum and not inclusive):
            self.problem(key, f"must be {'>=' if inclusive else '>'} {minimum:g}, got {value}")
            return None
        return float(value)

    def duration(self, table: Mapping[str, object], key: str, *, required: bool) -> float | None:
        """A duration string that must be > 0."""
        if key not in table:
            if required:
                self.problem(key, "missing")
            return None
        value = table[key]
        try:
            seconds = parse_duration_s(value, self.path(key))
        except ConfigError as err:
            self.problems.extend(err.problems)
            return None
        if seconds <= 0:
            self.problem(key, f"must be > 0, got {_show(value)}")
            return None
        return seconds

    def stages(self, table: Mapping[str, object], *, required: bool) -> list[Stage] | None:
        if "stages" not in table:
            if required:
                self.problem("stages", "missing")
            return None
        value = table["stages"]
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            self.problem("stages", f"must be a list of {{duration, target}}, got {_show(value)}")
            return None
        if not value:
            self.problem("stages", "must not be empty")
            return None
        stages: list[Stage] = []
        for i, item in enumerate(value):
            key = f"stages[{i}]"
            if not isinstance(item, Mapping):
                self.problem(key, f"must be a table {{duration, target}}, got {_show(item)}")
                continue
            for unknown in item:
                if unknown not in _STAGE_KEYS:
                    self.problem(f"{key}.{unknown}", "unknown key")
            sub = self._sub(key)
            duration_s = sub.duration(item, "duration", required=True)
            target = sub.number(item, "target", required=True, minimum=0.0, inclusive=True)
            if duration_s is not None and target is not None:
                stages.append(Stage(duration_s, target))
        return stages

    def _sub(self, key: str) -> _Checker:
        """A checker for a nested table whose problems land in this one's list."""
        sub = _Checker(self.path(key))
        sub.problems = self.problems
        return sub

    def seed(self, table: Mapping[str, object]) -> int:
        value = table.get("seed", 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem("seed", f"must be an integer >= 0, got {_show(value)}")
            return 0
        return value
