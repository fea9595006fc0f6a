"""Reading cache status and backend timings from standard response headers.

Owns which headers mean what: ``X-Cache`` / ``CF-Cache-Status`` / ``X-Cache-Status``
(HIT/MISS, as CDNs and nginx write them) and ``Server-Timing`` (W3C: ``db;dur=1.2, cache;dur=0.1``).
Header parsing is werkzeug's (a Locust dependency), not hand-written, with one exception: a
``Server-Timing`` value made only of ``name;dur=number`` entries (the common form, and the one
parsed per response) is read by one regular expression, which gives exactly what werkzeug
gives for such a value (``tests/plugin/test_headers_fast.py`` compares both); anything else
goes to werkzeug.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from werkzeug.http import parse_list_header, parse_options_header

__all__ = ["CACHE_HEADERS", "cache_hit", "server_timings"]

CACHE_HEADERS = ("X-Cache", "CF-Cache-Status", "X-Cache-Status")
_HIT = ("HIT", "STALE", "REVALIDATED", "UPDATING")
_MISS = ("MISS", "EXPIRED", "BYPASS", "DYNAMIC", "NONE", "UNCACHEABLE")
_METRIC_SAFE = re.compile(r"[^A-Za-z0-9_]")
_SIMPLE_ENTRY = r"[A-Za-z0-9_-]+;dur=[0-9]+(?:\.[0-9]+)?"
#: A whole value of simple entries: ``db;dur=1.2, app;dur=3`` (spaces around commas only).
_SIMPLE_TIMING = re.compile(rf" *{_SIMPLE_ENTRY}(?: *, *{_SIMPLE_ENTRY})* *")
_ENTRY = re.compile(r"([A-Za-z0-9_-]+);dur=([0-9]+(?:\.[0-9]+)?)")


def cache_hit(headers: Mapping[str, str]) -> bool | None:
    """True for a cache hit, False for a miss, None when no cache header says either."""
    for header in CACHE_HEADERS:
        # membership first: a miss is cheap, while .get() on some header classes raises and
        # catches KeyError inside (this runs for every response)
        value = headers[header] if header in headers else None  # noqa: SIM401
        if value:
            word = value.split(maxsplit=1)[0].upper()  # "HIT from proxy" -> "HIT"
            if word.startswith(_HIT):
                return True
            if word.startswith(_MISS):
                return False
    return None


def server_timings(value: str) -> dict[str, float]:
    """``Server-Timing`` entries that carry a duration, as ``{metric_suffix: ms}``.

    ``db;dur=0.41, cache;dur=0.01`` -> ``{"db": 0.41, "cache": 0.01}``; names are made safe
    for metric names; entries without ``dur`` or with a non-numeric one are skipped.
    """
    if _SIMPLE_TIMING.fullmatch(value):  # names here hold no character but '-' to replace
        return {n.lower().replace("-", "_"): float(d) for n, d in _ENTRY.findall(value)}
    return _werkzeug_timings(value)


def _werkzeug_timings(value: str) -> dict[str, float]:
    """:func:`server_timings` of any value, parsed by werkzeug."""
    out: dict[str, float] = {}
    for item in parse_list_header(value):
        name, params = parse_options_header(item)
        dur = params.get("dur")
        if not name or dur is None:
            continue
        try:
            out[_METRIC_SAFE.sub("_", name.lower())] = float(dur)
        except ValueError:
            continue
    return out
