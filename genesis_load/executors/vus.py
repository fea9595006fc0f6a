"""Closed-model scenarios (k6's VU executors): a number of VUs looping over iterations.

Owns the four executors whose load is a VU count, not an arrival rate, and their validation:

- ``constant-vus`` (``vus``, ``duration``): ``vus`` VUs for ``duration``;
- ``ramping-vus`` (``startVUs``, ``stages`` of {duration, target}): the VU count moves linearly
  between targets, ending with the stages;
- ``per-vu-iterations`` (``vus``, ``iterations``, ``maxDuration``): each VU runs ``iterations``;
- ``shared-iterations`` (``vus``, ``iterations``, ``maxDuration``): ``iterations`` in all,
  taken by whichever VU is free.

Pure: no Locust. The VUs and the shape that sizes them live in ``user`` and ``shape``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..pacing import parse_duration_s

__all__ = ["VU_EXECUTORS", "VUScenario", "VUStage", "vu_scenario_from_config"]

VU_EXECUTORS = ("constant-vus", "ramping-vus", "per-vu-iterations", "shared-iterations")
_KEYS = {
    "constant-vus": {"vus", "duration"},
    "ramping-vus": {"startVUs", "stages"},
    "per-vu-iterations": {"vus", "iterations", "maxDuration"},
    "shared-iterations": {"vus", "iterations", "maxDuration"},
}
_COMMON = {"executor", "startTime", "gracefulStop", "tags", "exec", "gracefulRampDown"}


@dataclass(frozen=True)
class VUStage:
    duration_s: float
    target: int


@dataclass(frozen=True)
class VUScenario:
    """A closed-model scenario: how many VUs, for how long or how many iterations."""

    name: str
    executor: str
    vus: int = 1
    stages: tuple[VUStage, ...] = ()
    duration_s: float | None = None
    iterations: int | None = None
    max_duration_s: float = 600.0
    start_time_s: float = 0.0
    graceful_stop_s: float = 30.0
    tags: Mapping[str, str] = field(default_factory=dict)

    def vus_at(self, elapsed_s: float) -> int:
        """VUs wanted ``elapsed_s`` after the run's start (0 before ``startTime``)."""
        t = elapsed_s - self.start_time_s
        if t < 0:
            return 0
        if self.executor != "ramping-vus":
            return self.vus
        level, start = float(self.vus), 0.0
        for stage in self.stages:
            if t < start + stage.duration_s:
                frac = (t - start) / stage.duration_s
                return round(level + (stage.target - level) * frac)
            level, start = float(stage.target), start + stage.duration_s
        return round(level)

    @property
    def max_vus(self) -> int:
        return max([self.vus, *(s.target for s in self.stages)])

    @property
    def planned_s(self) -> float:
        """Longest the scenario may run, from the run's start (graceful stop not included)."""
        if self.executor == "constant-vus":
            return self.start_time_s + float(self.duration_s or 0.0)
        if self.executor == "ramping-vus":
            return self.start_time_s + sum(s.duration_s for s in self.stages)
        return self.start_time_s + self.max_duration_s

    def stage_windows(self) -> dict[str, tuple[float, float]]:
        return {}


def _int(
    cfg: Mapping[str, Any],
    key: str,
    at: str,
    problems: list[str],
    minimum: int,
    default: int | None = None,
) -> int | None:
    value = cfg.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        problems.append(f"{at}.{key}: must be a whole number >= {minimum}, got {value!r}")
        return None
    return value


def _dur(
    cfg: Mapping[str, Any],
    key: str,
    at: str,
    problems: list[str],
    default: str | None = None,
    positive: bool = True,
) -> float | None:
    raw = cfg.get(key, default)
    if raw is None:
        problems.append(f"{at}.{key}: missing")
        return None
    try:
        value = parse_duration_s(raw, f"{at}.{key}")
    except ConfigError as e:
        problems.extend(e.problems)
        return None
    if positive and not value > 0:
        problems.append(f"{at}.{key}: must be > 0, got {raw!r}")
        return None
    return value


def vu_scenario_from_config(name: str, cfg: Mapping[str, Any], where: str) -> VUScenario:
    """A closed-model scenario from k6-style options; every problem raised at once."""
    at = f"{where}.{name}"
    executor = cfg.get("executor")
    problems: list[str] = []
    if executor not in _KEYS:
        raise ConfigError(
            f"{at}.executor: must be one of {', '.join(VU_EXECUTORS)}, got {executor!r}"
        )
    allowed = _KEYS[executor] | _COMMON
    problems += [f"{at}.{k}: unknown key for {executor}" for k in cfg if k not in allowed]
    start = _dur(cfg, "startTime", at, problems, "0s", positive=False)
    graceful = _dur(cfg, "gracefulStop", at, problems, "30s", positive=False)
    tags = cfg.get("tags", {})
    if not isinstance(tags, Mapping) or not all(isinstance(v, str) for v in tags.values()):
        problems.append(f"{at}.tags: expected a table of strings, got {tags!r}")
        tags = {}
    kw: dict[str, Any] = {}
    if executor == "ramping-vus":
        kw["vus"] = _int(cfg, "startVUs", at, problems, 0, default=1)
        raw_stages = cfg.get("stages")
        stages: list[VUStage] = []
        if not isinstance(raw_stages, Sequence) or isinstance(raw_stages, str) or not raw_stages:
            problems.append(f"{at}.stages: expected a non-empty list of {{duration, target}}")
        else:
            for i, st in enumerate(raw_stages):
                sat = f"{at}.stages[{i}]"
                if not isinstance(st, Mapping):
                    problems.append(f"{sat}: expected {{duration, target}}")
                    continue
                d = _dur(st, "duration", sat, problems)
                t = _int(st, "target", sat, problems, 0)
                if d is not None and t is not None:
                    stages.append(VUStage(d, t))
        kw["stages"] = tuple(stages)
    else:
        kw["vus"] = _int(cfg, "vus", at, problems, 1, default=1)
    if executor == "constant-vus":
        kw["duration_s"] = _dur(cfg, "duration", at, problems)
    if executor in ("per-vu-iterations", "shared-iterations"):
        kw["iterations"] = _int(cfg, "iterations", at, problems, 1, default=1)
        kw["max_duration_s"] = _dur(cfg, "maxDuration", at, problems, "10m")
        if (
            executor == "shared-iterations"
            and isinstance(kw["iterations"], int)
            and isinstance(kw["vus"], int)
            and kw["vus"] > kw["iterations"]
        ):
            problems.append(
                f"{at}.vus: more VUs ({kw['vus']}) than iterations "
                f"({kw['iterations']}) leaves VUs idle"
            )
    if problems:
        raise ConfigError(problems)
    return VUScenario(
        name=name,
        executor=str(executor),
        start_time_s=start or 0.0,
        graceful_stop_s=30.0 if graceful is None else graceful,
        tags=dict(tags),
        **kw,
    )
