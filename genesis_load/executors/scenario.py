"""A scenario: one arrival-rate schedule, its VU pool limits, and its name and tags.

Owns the k6 scenario keys that are not pacing (``preAllocatedVUs``, ``maxVUs``, ``startTime``,
``gracefulStop``, ``tags``, ``dropPolicy``) and their validation; pacing keys are handed to
:func:`genesis_load.pacing.pacer_from_config`. All problems are reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..pacing import Pacer, StagesPacer, pacer_from_config, parse_duration_s

__all__ = ["Scenario", "scenario_from_config"]

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Scenario:
    """An open-model scenario (k6's arrival-rate executors)."""

    name: str
    pacer: Pacer
    pre_allocated_vus: int
    max_vus: int
    drop_policy: str = "drop"
    start_time_s: float = 0.0
    graceful_stop_s: float = 30.0
    tags: Mapping[str, str] = field(default_factory=dict)
    #: Names of the pacer's stages, in order (``StagesPacer`` only), for stage thresholds.
    stage_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = _check_vus(self.pre_allocated_vus, self.max_vus, f"scenario {self.name!r}")
        if not _NAME.match(self.name):
            problems.append(f"scenario name {self.name!r}: use letters, digits, '_' or '-'")
        if self.drop_policy not in ("drop", "late"):
            problems.append(f"scenario {self.name!r}: drop_policy must be 'drop' or 'late'")
        stages = getattr(self.pacer, "stages", None)
        if self.stage_names and (stages is None or len(stages) != len(self.stage_names)):
            problems.append(
                f"scenario {self.name!r}: {len(self.stage_names)} stage names for "
                f"{0 if stages is None else len(stages)} stages"
            )
        if self.pacer.duration_s is None:
            problems.append(f"scenario {self.name!r}: the schedule must have a duration")
        if problems:
            raise ConfigError(problems)

    @property
    def duration_s(self) -> float:
        """Start time plus the schedule's length (graceful stop not included)."""
        return self.start_time_s + float(self.pacer.duration_s or 0.0)

    def stage_windows(self) -> dict[str, tuple[float, float]]:
        """Run-relative ``[start, end)`` seconds of each named stage."""
        if not self.stage_names or not isinstance(self.pacer, StagesPacer):
            return {}
        windows, t = {}, self.start_time_s
        for name, stage in zip(self.stage_names, self.pacer.stages, strict=True):
            windows[name] = (t, t + stage.duration_s)
            t += stage.duration_s
        return windows


def _check_vus(pre: Any, max_vus: Any, where: str) -> list[str]:
    problems = []
    if not isinstance(pre, int) or isinstance(pre, bool) or pre < 1:
        problems.append(f"{where}.preAllocatedVUs: must be a whole number >= 1, got {pre!r}")
    if not isinstance(max_vus, int) or isinstance(max_vus, bool) or max_vus < 1:
        problems.append(f"{where}.maxVUs: must be a whole number >= 1, got {max_vus!r}")
    elif isinstance(pre, int) and max_vus < pre:
        problems.append(f"{where}.maxVUs: must be >= preAllocatedVUs ({pre}), got {max_vus}")
    return problems


def scenario_from_config(
    name: str, cfg: Mapping[str, Any], where: str, stage_names: Sequence[str] = ()
) -> Scenario:
    """A scenario from k6-style options, e.g. a ``[scenarios.spike]`` table of a profile."""
    at = f"{where}.{name}"
    problems: list[str] = []
    pacer: Pacer | None = None
    try:
        pacer = pacer_from_config(cfg, at)
    except ConfigError as e:
        problems.extend(e.problems)
    pre = cfg.get("preAllocatedVUs")
    max_vus = cfg.get("maxVUs", pre)
    problems += _check_vus(pre, max_vus, at)
    times: dict[str, float] = {}
    for key, default in (("startTime", "0s"), ("gracefulStop", "30s")):
        raw = cfg.get(key, default)
        try:
            times[key] = parse_duration_s(str(raw), f"{at}.{key}")
        except ConfigError as e:
            problems.extend(e.problems)
    policy = cfg.get("dropPolicy", "drop")
    if policy not in ("drop", "late"):
        problems.append(f"{at}.dropPolicy: must be 'drop' (k6) or 'late' (wrk2), got {policy!r}")
    tags = cfg.get("tags", {})
    if not isinstance(tags, Mapping) or not all(isinstance(v, str) for v in tags.values()):
        problems.append(f"{at}.tags: expected a table of strings, got {tags!r}")
        tags = {}
    if problems or pacer is None:
        raise ConfigError(problems)
    return Scenario(
        name=name,
        pacer=pacer,
        pre_allocated_vus=int(pre),  # type: ignore[arg-type]
        max_vus=int(max_vus),
        drop_policy=str(policy),
        start_time_s=times.get("startTime", 0.0),
        graceful_stop_s=times.get("gracefulStop", 30.0),
        tags=dict(tags),
        stage_names=tuple(stage_names),
    )
