"""Units in one place: how a value is shown (summary, web UI, report) and how a duration is read.

Owns presentation of numbers with their unit and nothing else: a metric's ``contains``
(``time`` in milliseconds, ``data`` in bytes, ``default``) decides the unit, and a threshold's
aggregation decides how its observed value reads (``p(95)`` is a time, ``rate`` a share or a
per-second figure, ``count`` a number). Durations are parsed by
:func:`genesis_load.pacing.parse_duration_s` (k6's grammar), re-exported here so callers need
one import.

    >>> format_value(7.581, "time"), format_value(0.983, "time"), format_value(1234.0, "time")
    ('7.58ms', '983µs', '1.23s')
    >>> format_observed(0.042, "rate", "rate", "default")
    '0.042 (4.20%)'
"""

from __future__ import annotations

from .pacing.duration import parse_duration_s

__all__ = ["NO_DATA", "format_observed", "format_value", "parse_duration_s"]

#: How an observed value that had no samples is shown.
NO_DATA = "no data"


def format_value(value: float, contains: str) -> str:
    """A number with the unit its metric holds: ``12.3ms``, ``1.2s``, ``3.4 kB``."""
    if contains == "time":
        if value >= 1000:
            return f"{value / 1000:.2f}s"
        if value >= 1:
            return f"{value:.2f}ms"
        return f"{value * 1000:.0f}µs"
    if contains == "data":
        for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
            if value >= size:
                return f"{value / size:.1f} {unit}"
        return f"{value:.0f} B"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.4g}"


def format_observed(observed: float | None, aggregation: str, kind: str, contains: str) -> str:
    """A threshold's observed value with its unit: ``6.93ms``, ``0.042 (4.20%)``, ``980``.

    ``aggregation`` is the threshold expression's left side (``p(95)``, ``avg``, ``rate``,
    ``count``, ``value``...); ``kind`` and ``contains`` are the metric's.
    """
    if observed is None:
        return NO_DATA
    if aggregation == "rate":
        if kind == "counter":
            return f"{format_value(observed, contains)}/s"
        return f"{observed:.4g} ({observed * 100:.2f}%)"
    if aggregation == "count":
        return format_value(observed, "default" if kind == "trend" else contains)
    return format_value(observed, contains)
