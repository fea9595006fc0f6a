"""k6 duration strings (``"30s"``, ``"500ms"``, ``"1h30m"``) to seconds, strictly.

Grammar (no spaces, no sign; each unit at most once, larger units first)::

    duration ::= part { part }
    part     ::= NUMBER UNIT
    NUMBER   ::= DIGITS [ "." DIGITS ] | "." DIGITS
    UNIT     ::= "d" | "h" | "m" | "s" | "ms" | "us" | "µs" | "ns"

This is Go's ``time.ParseDuration`` (which k6 uses) plus k6's ``d`` for days, minus what invites
mistakes: a bare number (k6 would read ``"30"`` as 30 *milliseconds*), a sign, repeated or
out-of-order units (``"1s1h"``). Zero is a valid duration here; whether it is allowed is the
caller's business.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

from ..errors import ConfigError

__all__ = ["parse_duration_s"]

_UNIT_S: dict[str, Fraction] = {
    "d": Fraction(86400),
    "h": Fraction(3600),
    "m": Fraction(60),
    "s": Fraction(1),
    "ms": Fraction(1, 10**3),
    "us": Fraction(1, 10**6),
    "µs": Fraction(1, 10**6),
    "ns": Fraction(1, 10**9),
}
_RANK = {"d": 0, "h": 1, "m": 2, "s": 3, "ms": 4, "us": 5, "µs": 5, "ns": 6}
_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)(ms|us|µs|ns|d|h|m|s)")


def parse_duration_s(text: object, where: str) -> float:
    """Seconds in a k6 duration string; :class:`ConfigError` naming ``where`` if it is not one.

    >>> parse_duration_s("1h30m", "scenarios.soak.duration")
    5400.0
    >>> parse_duration_s("1.5s", "x"), parse_duration_s("250ms", "x")
    (1.5, 0.25)
    """
    hint = '(expected e.g. "30s", "500ms", "1h30m")'
    if not isinstance(text, str):
        raise ConfigError(f"{where}: must be a duration string {hint}, got {_show(text)}")
    pos, total_s, last_rank = 0, Fraction(0), -1
    while pos < len(text):
        m = _PART.match(text, pos)
        if not m:
            raise ConfigError(f"{where}: invalid duration {_show(text)} {hint}")
        rank = _RANK[m.group(2)]
        if rank <= last_rank:
            raise ConfigError(
                f"{where}: invalid duration {_show(text)}: units must appear once each, "
                "largest first"
            )
        last_rank = rank
        total_s += Fraction(m.group(1)) * _UNIT_S[m.group(2)]
        pos = m.end()
    if pos == 0:
        raise ConfigError(f"{where}: invalid duration {_show(text)} {hint}")
    return float(total_s)  # exact arithmetic, one rounding: "100ms" is 0.1


def _show(value: object) -> str:
    """A config value as the user wrote it (JSON-ish): ``"abc"``, ``-5``, ``[1, 2]``."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)
