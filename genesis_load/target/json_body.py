"""Parsing untrusted JSON: the one function every request body and WebSocket message goes through.

``parse_json(raw)`` returns the value or raises :class:`JsonInputError` with a short reason; it
never raises anything else and never recurses, whatever the input:

=======================  ==========================================================
input                    refused as
=======================  ==========================================================
empty                    ``empty``
not UTF-8, not JSON      ``invalid`` (with the decoder's message and position)
nesting > 64 levels      ``too_deep`` (counted before parsing, in one linear pass)
integer > 100 digits     ``integer_too_long`` (Python's own limit is 4300 digits,
                         and its error is not a ``JSONDecodeError``)
=======================  ==========================================================

Depth is the running count of ``[``/``{`` minus ``]``/``}`` outside strings, so a
5000-deep array costs one scan, not a ``RecursionError``. Body size is checked before this
(``--max-body-bytes``: 413 from the middleware or from aiohttp while reading a chunked body).
Turning the error into a response, and logging it, is :func:`genesis_load.target.params.read_json`'s
job (one line per request, no traceback); WebSocket errors are sent back as an error message.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "JsonInputError", "parse_json"]

MAX_DEPTH = 64
MAX_INT_DIGITS = 100

# Digits -> "0", everything else -> " ": a run longer than any acceptable integer is then one
# substring search (the run may still be in a string or a float: the parser decides).
_DIGITS_ONLY = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))
_LONG_RUN = b"0" * (MAX_INT_DIGITS + 1)
# A JSON string (escapes included) as bytes; removed before brackets are counted.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# Every byte but the four brackets, deleted by bytes.translate.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# Bracket byte -> depth step.
_STEP = [0] * 256
for _b in b"[{":
    _STEP[_b] = 1
for _b in b"]}":
    _STEP[_b] = -1


class JsonInputError(ValueError):
    """A body or message that is not acceptable JSON; ``reason`` is one of the table's words."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def nesting_depth(raw: bytes) -> int:
    """The deepest ``[``/``{`` nesting outside strings (0 for a scalar).

    >>> nesting_depth(b'{"a": [1, {"b": "[[[["}]}')
    3
    """
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _bounded_int(digits: str) -> int:
    if len(digits) - digits.startswith("-") > MAX_INT_DIGITS:
        raise JsonInputError(
            "integer_too_long", f"an integer has {len(digits)} digits (at most {MAX_INT_DIGITS})"
        )
    return int(digits)


def parse_json(raw: bytes | str) -> object:
    """The JSON value of ``raw``, or :class:`JsonInputError`; see the module docstring."""
    data = raw.encode() if isinstance(raw, str) else raw
    if not data.strip():
        raise JsonInputError("empty", "empty")
    # fast paths for ordinary messages: too few brackets to be too deep, no long digit run
    if data.count(b"[") + data.count(b"{") > MAX_DEPTH:
        depth = nesting_depth(data)
        if depth > MAX_DEPTH:
            raise JsonInputError("too_deep", f"nested {depth} levels deep (at most {MAX_DEPTH})")
    long_digits = _LONG_RUN in data.translate(_DIGITS_ONLY)
    try:
        if long_digits:
            return json.loads(data, parse_int=_bounded_int)
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JsonInputError("invalid", str(exc)[:200]) from None
    except RecursionError:  # not reachable after the depth check; kept as a last guard
        raise JsonInputError("too_deep", "nested too deep") from None
