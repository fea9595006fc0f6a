"""Sections whose shape the report does not fix: ``analysis`` and ``resources``.

Owns turning an arbitrary JSON object into rows a person can read, without ever failing on an
unexpected shape:

* :func:`flatten` lists every leaf of ``analysis`` as ``dotted.key -> value``; nested objects
  become dotted keys, ``null`` stays ``None`` (shown as "none"), lists of scalars are joined.
* :func:`resource_series` finds every numeric series in ``resources`` and gives its sample
  count, average and peak: a list of numbers (``"rss_mb": [..]``), or a list of objects whose
  numeric fields other than timestamps are each a series (``"memory": [{"t_s": 1,
  "rss_mb": 80}, ..]`` gives ``memory.rss_mb``); a lone number is a one-sample series.
* :func:`format_generic` shows a value with a unit guessed only from its key's suffix
  (``_s``, ``_ms``, ``_rps``, ``share``/``ratio``/``_rate``, ``_percent``, ``_mb``/``_bytes``),
  of the last dotted segment that has one (``offered_rps.peak`` is per second).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..units import format_value

__all__ = ["ResourceSeries", "flatten", "format_generic", "resource_series"]

#: Fields of a sample object that are its time, not a measurement.
TIME_KEYS = frozenset(
    {"t", "t_s", "ts", "time", "time_s", "timestamp", "start_s", "end_s", "elapsed_s", "at", "at_s"}
)


_UNIT_SUFFIXES = (
    "_ms",
    "_s",
    "_seconds",
    "_rps",
    "_per_s",
    "_percent",
    "_pct",
    "_rate",
    "_bytes",
    "_mb",
)


@dataclass(frozen=True)
class ResourceSeries:
    name: str
    samples: int
    avg: float
    peak: float


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def flatten(obj: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Every leaf of a JSON object as ``(dotted key, value)``, in document order."""
    rows: list[tuple[str, Any]] = []
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            rows.extend(flatten(value, f"{name}."))
        else:
            rows.append((name, value))
    return rows


def format_generic(key: str, value: Any) -> str:
    """A value for a key/value table; the unit comes from the key's suffix only."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping) and not value:
        return "none"
    if isinstance(value, list):
        if all(_is_number(v) or isinstance(v, str) for v in value):
            return ", ".join(format_generic(key, v) for v in value) or "none"
        return json.dumps(value, separators=(",", ":"))[:200]
    if not _is_number(value):
        return str(value)
    v = float(value)
    segments = key.lower().split(".")
    # the unit comes from the nearest segment that names one: offered_rps.peak is per second
    k = next((s for s in reversed(segments) if _unit_of(s)), segments[-1])
    if k.endswith("_ms"):
        return format_value(v, "time")
    if k.endswith("_s") or k.endswith("_seconds"):
        return f"{v:.4g} s"
    if k.endswith(("_rps", "_per_s")):
        return f"{v:.4g}/s"
    if k.endswith(("_percent", "_pct")):
        return f"{v:.4g}%"
    if "share" in k or "ratio" in k or k.endswith("_rate"):
        return f"{v * 100:.2f}%" if 0 <= v <= 1 else f"{v:.4g}"
    if k.endswith("_bytes"):
        return format_value(v, "data")
    if k.endswith("_mb"):
        return f"{v:,.1f} MB"
    return format_value(v, "default")


def _unit_of(segment: str) -> bool:
    return segment.endswith(_UNIT_SUFFIXES) or "share" in segment or "ratio" in segment


def _series_of(name: str, value: Any) -> list[tuple[str, list[float]]]:
    if _is_number(value):
        return [(name, [float(value)])]
    if isinstance(value, Mapping):
        out = []
        for key, sub in value.items():
            out.extend(_series_of(f"{name}.{key}" if name else str(key), sub))
        return out
    if isinstance(value, list) and value:
        if all(_is_number(v) for v in value):
            return [(name, [float(v) for v in value])]
        if all(isinstance(v, Mapping) for v in value):
            fields: dict[str, list[float]] = {}
            for sample in value:
                for key, v in sample.items():
                    if str(key) not in TIME_KEYS and _is_number(v):
                        fields.setdefault(str(key), []).append(float(v))
            return [(f"{name}.{key}" if name else key, vs) for key, vs in fields.items()]
    return []


def _monitor_summary(name: str, source: Mapping[str, Any]) -> list[ResourceSeries] | None:
    """A source written by ``genesis_load.monitor``: its exact summary, one row per field."""
    summary, samples = source.get("summary"), source.get("samples")
    if not isinstance(summary, Mapping) or not isinstance(samples, list):
        return None
    rows = []
    for field_name, stats in summary.items():
        if isinstance(stats, Mapping) and _is_number(stats.get("avg")):
            count = sum(
                1 for s in samples if isinstance(s, Mapping) and _is_number(s.get(field_name))
            )
            rows.append(
                ResourceSeries(
                    f"{name}.{field_name}",
                    count,
                    float(stats["avg"]),
                    float(stats.get("peak", stats["avg"])),
                )
            )
    return rows


def resource_series(resources: Mapping[str, Any]) -> list[ResourceSeries]:
    """Every numeric series found in a ``resources`` object, with its average and peak.

    Sources written by the resource monitor (with ``summary`` and ``samples``) give their exact
    summary (peaks survive downsampling), one row per measured field; anything else is walked.
    """
    rows: list[ResourceSeries] = []
    rest: dict[str, Any] = {}
    for name, value in resources.items():
        known = _monitor_summary(str(name), value) if isinstance(value, Mapping) else None
        if known is None:
            rest[str(name)] = value
        else:
            rows.extend(known)
    return rows + [
        ResourceSeries(name, len(values), sum(values) / len(values), max(values))
        for name, values in _series_of("", rest)
        if values
    ]
