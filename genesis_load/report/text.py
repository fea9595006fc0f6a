"""Small formatters shared by the report's sections: shares, times, rates, dates.

Times use :func:`genesis_load.units.format_value`, so the report and the terminal
summary print a latency the same way (``7.58ms``, ``983µs``, ``1.23s``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..units import format_value

__all__ = ["NONE", "ms", "pct", "rps", "when"]

#: Shown for a figure that was not measured.
NONE = "–"


def pct(share: float | None) -> str:
    return NONE if share is None else f"{share * 100:.2f}%"


def ms(value: float | None) -> str:
    return NONE if value is None else format_value(value, "time")


def rps(value: float | None, unit: str = "req/s") -> str:
    return NONE if value is None else f"{value:,.1f} {unit}"


def when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except ValueError:
        return iso or "unknown"
