"""The fault specification: what faults to inject, parsed and validated.

Owns the grammar of a fault spec (the JSON body of ``POST /admin/faults`` and the shape the CLI
fault flags are turned into) and the latency distributions. It does not own any runtime state
(the stall window, the RNG): that is :mod:`genesis_load.target.faults`.

Grammar (JSON object; every key optional; unknown keys are errors)::

    spec      = { "latency_ms": number >= 0
                | "latency": dist
                | "error_rate": rate          # share of requests answered 500
                | "drop_rate": rate           # share of connections closed with no response
                | "malformed_rate": rate      # share of SSE / WS frames sent malformed
                | "truncate_rate": rate       # share of AI answers cut to half (finish "length")
                | "empty_rate": rate          # share of AI answers with no content at all
                | "stall": {"start_in_s": number >= 0, "duration_s": number > 0}
                | "paths": [prefix, ...] }    # path prefixes the faults apply to (default all)
    rate      = number in [0, 1]
    dist      = {"dist": "uniform",     "min_ms": n, "max_ms": n}
              | {"dist": "normal",      "mean_ms": n, "stddev_ms": n}
              | {"dist": "lognormal",   "median_ms": n, "sigma": n}
              | {"dist": "exponential", "mean_ms": n}

``latency_ms`` and ``latency`` are mutually exclusive. Validation reports every problem at once
as ``{key: message}`` (nested keys are dotted: ``latency.min_ms``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DIST_PARAMS", "FaultSpec", "FaultSpecError", "LatencyDist", "StallSpec"]

# Distribution name -> its parameter names, in the order LatencyDist.params stores them.
DIST_PARAMS: dict[str, tuple[str, ...]] = {
    "uniform": ("min_ms", "max_ms"),
    "normal": ("mean_ms", "stddev_ms"),
    "lognormal": ("median_ms", "sigma"),
    "exponential": ("mean_ms",),
}
MAX_LATENCY_MS = 600_000.0
MAX_STALL_S = 3_600.0
_SPEC_KEYS = (
    "latency_ms",
    "latency",
    "error_rate",
    "drop_rate",
    "malformed_rate",
    "truncate_rate",
    "empty_rate",
    "stall",
    "paths",
)
_RATE_KEYS = ("error_rate", "drop_rate", "malformed_rate", "truncate_rate", "empty_rate")


class FaultSpecError(ValueError):
    """A fault spec with one or more problems; ``problems`` maps each bad key to a message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        text = "; ".join(f"{key}: {message}" for key, message in self.problems.items())
        super().__init__(f"invalid fault spec: {text}")


@dataclass(frozen=True)
class LatencyDist:
    """A latency distribution; ``params`` follow the order of ``DIST_PARAMS[dist]``."""

    dist: str
    params: tuple[float, ...]

    def sample_ms(self, rng: random.Random) -> float:
        """Draw one added latency in milliseconds (never negative, capped at MAX_LATENCY_MS)."""
        if self.dist == "uniform":
            value = rng.uniform(self.params[0], self.params[1])
        elif self.dist == "normal":
            value = rng.gauss(self.params[0], self.params[1])
        elif self.dist == "lognormal":
            value = rng.lognormvariate(math.log(self.params[0]), self.params[1])
        else:
            value = rng.expovariate(1.0 / self.params[0])
        return min(max(value, 0.0), MAX_LATENCY_MS)

    def to_dict(self) -> dict[str, object]:
        return {"dist": self.dist, **dict(zip(DIST_PARAMS[self.dist], self.params, strict=True))}


@dataclass(frozen=True)
class StallSpec:
    """Hold every request arriving in ``[set_time + start_in_s, + duration_s)`` until it ends."""

    start_in_s: float
    duration_s: float

    def to_dict(self) -> dict[str, object]:
        return {"start_in_s": self.start_in_s, "duration_s": self.duration_s}


@dataclass(frozen=True)
class FaultSpec:
    """A validated fault spec. The default instance injects nothing."""

    latency_ms: float | None = None
    latency: LatencyDist | None = None
    error_rate: float = 0.0
    drop_rate: float = 0.0
    malformed_rate: float = 0.0
    truncate_rate: float = 0.0
    empty_rate: float = 0.0
    stall: StallSpec | None = None
    paths: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == FaultSpec()

    def applies_to(self, path: str) -> bool:
        return not self.paths or path.startswith(self.paths)

    def to_dict(self) -> dict[str, object]:
        """The spec as JSON, listing only the keys that are set (round-trips via from_dict)."""
        out: dict[str, object] = {}
        if self.latency_ms is not None:
            out["latency_ms"] = self.latency_ms
        if self.latency is not None:
            out["latency"] = self.latency.to_dict()
        for key in _RATE_KEYS:
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.stall is not None:
            out["stall"] = self.stall.to_dict()
        if self.paths:
            out["paths"] = list(self.paths)
        return out

    @classmethod
    def from_dict(cls, raw: object) -> FaultSpec:
        """Parse and validate a spec; raises FaultSpecError naming every bad key."""
        if not isinstance(raw, Mapping):
            raise FaultSpecError({"(body)": "must be a JSON object"})
        problems: dict[str, str] = {}
        for key in raw:
            if key not in _SPEC_KEYS:
                problems[str(key)] = f"unknown key (expected one of {', '.join(_SPEC_KEYS)})"
        latency_ms = _number(raw, "latency_ms", problems, low=0.0, high=MAX_LATENCY_MS)
        latency = _parse_dist(raw.get("latency"), problems) if "latency" in raw else None
        if "latency_ms" in raw and "latency" in raw:
            problems["latency"] = "give either latency_ms or latency, not both"
        rates = {key: _number(raw, key, problems, low=0.0, high=1.0) or 0.0 for key in _RATE_KEYS}
        stall = _parse_stall(raw.get("stall"), problems) if "stall" in raw else None
        paths = _parse_paths(raw.get("paths"), problems) if "paths" in raw else ()
        if problems:
            raise FaultSpecError(problems)
        return cls(
            latency_ms=latency_ms,
            latency=latency,
            error_rate=rates["error_rate"],
            drop_rate=rates["drop_rate"],
            malformed_rate=rates["malformed_rate"],
            truncate_rate=rates["truncate_rate"],
            empty_rate=rates["empty_rate"],
            stall=stall,
            paths=paths,
        )


def _number(
    raw: Mapping[str, object],
    key: str,
    problems: dict[str, str],
    *,
    low: float,
    high: float,
    name: str | None = None,
    low_open: bool = False,
) -> float | None:
    """Read an optional number in [low, high] (or (low, high] when low_open)."""
    if key not in raw:
        return None
    value = raw[key]
    label = name or key
    bound = f"({low:g}, {high:g}]" if low_open else f"[{low:g}, {high:g}]"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems[label] = f"must be a number in {bound}"
        return None
    if value < low or value > high or (low_open and value == low):
        problems[label] = f"must be a number in {bound}, got {value}"
        return None
    return float(value)


def _parse_dist(raw: object, problems: dict[str, str]) -> LatencyDist | None:
    if not isinstance(raw, Mapping):
        problems["latency"] = 'must be an object like {"dist": "uniform", "min_ms": 1, ...}'
        return None
    dist = raw.get("dist")
    if dist not in DIST_PARAMS:
        problems["latency.dist"] = f"must be one of {', '.join(DIST_PARAMS)}, got {dist!r}"
        return None
    names = DIST_PARAMS[str(dist)]
    before = len(problems)
    for key in raw:
        if key != "dist" and key not in names:
            problems[f"latency.{key}"] = f"unknown parameter for {dist} (expected {names})"
    values: list[float] = []
    for param in names:
        positive = param in ("median_ms",) or (dist == "exponential" and param == "mean_ms")
        if param not in raw:
            problems[f"latency.{param}"] = f"required for {dist}"
            continue
        high = 100.0 if param == "sigma" else MAX_LATENCY_MS
        value = _number(
            raw, param, problems, low=0.0, high=high, name=f"latency.{param}", low_open=positive
        )
        values.append(value if value is not None else 0.0)
    if len(problems) > before:
        return None
    if dist == "uniform" and values[0] > values[1]:
        problems["latency.max_ms"] = "must be >= min_ms"
        return None
    return LatencyDist(dist=str(dist), params=tuple(values))


def _parse_stall(raw: object, problems: dict[str, str]) -> StallSpec | None:
    if not isinstance(raw, Mapping):
        problems["stall"] = 'must be an object like {"start_in_s": 1, "duration_s": 2}'
        return None
    before = len(problems)
    for key in raw:
        if key not in ("start_in_s", "duration_s"):
            problems[f"stall.{key}"] = "unknown key (expected start_in_s, duration_s)"
    start = _number(raw, "start_in_s", problems, low=0.0, high=MAX_STALL_S, name="stall.start_in_s")
    duration = _number(
        raw,
        "duration_s",
        problems,
        low=0.0,
        high=MAX_STALL_S,
        name="stall.duration_s",
        low_open=True,
    )
    if "duration_s" not in raw:
        problems["stall.duration_s"] = "required"
    if len(problems) > before or duration is None:
        return None
    return StallSpec(start_in_s=start or 0.0, duration_s=duration)


def _parse_paths(raw: object, problems: dict[str, str]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        problems["paths"] = 'must be a non-empty list of path prefixes like ["/api/v1/users"]'
        return ()
    bad = [p for p in raw if not isinstance(p, str) or not p.startswith("/")]
    if bad:
        problems["paths"] = f"every prefix must be a string starting with '/', got {bad!r}"
        return ()
    return tuple(raw)
