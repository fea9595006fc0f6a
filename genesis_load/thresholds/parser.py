"""Threshold expressions: ``p(95)<500``, ``rate<=0.01``, ``count>100`` (k6's grammar).

Grammar (whitespace between tokens is ignored)::

    threshold   ::= aggregation operator number
    aggregation ::= "avg" | "min" | "max" | "med" | "count" | "rate" | "value"
                  | "p(" number ")"
    operator    ::= "<" | "<=" | ">" | ">=" | "==" | "===" | "!="
    number      ::= [ "-" ] digits [ "." digits ] [ ("e" | "E") [ "+" | "-" ] digits ]

``p(N)`` takes 0 <= N <= 100. Which aggregations a metric accepts depends on its type (k6's
table): trend ``avg min max med p(N)`` (and ``count``), rate ``rate``, counter ``count rate``
(per second), gauge ``value``; that check needs the metric and lives in ``spec``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ConfigError

__all__ = ["Expression", "ExpressionError", "parse_expression"]

_AGGREGATIONS = ("avg", "min", "max", "med", "count", "rate", "value")
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
    "===": operator.eq,
    "==": operator.eq,
    "!=": operator.ne,
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[a-z]+")


class ExpressionError(ConfigError):
    """An expression that does not parse; ``position`` is the 0-based offset of the problem."""

    def __init__(self, text: str, position: int, reason: str) -> None:
        self.text, self.position, self.reason = text, position, reason
        super().__init__(
            f"invalid threshold {text!r} at position {position}: {reason}\n"
            f"  {text}\n  {' ' * position}^"
        )


@dataclass(frozen=True)
class Expression:
    """``aggregation operator value``; ``percentile`` is set when aggregation is ``p``."""

    text: str
    aggregation: str
    op: str
    value: float
    percentile: float | None = None

    @property
    def stat(self) -> str:
        """The aggregation as a summary stat name: ``p(95)``, ``avg`` ..."""
        return f"p({self.percentile:g})" if self.aggregation == "p" else self.aggregation

    def holds(self, observed: float) -> bool:
        return _OPERATORS[self.op](observed, self.value)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def parse_expression(text: str) -> Expression:
    pos = _skip(text, 0)
    m = _NAME.match(text, pos)
    if not m:
        raise ExpressionError(
            text, pos, "expected an aggregation (avg, min, max, med, count, rate, value or p(N))"
        )
    word = m.group()
    percentile: float | None = None
    if word == "p":
        pos = m.end()
        if pos >= len(text) or text[pos] != "(":
            raise ExpressionError(text, pos, "expected '(' after 'p'")
        pos = _skip(text, pos + 1)
        n = _NUMBER.match(text, pos)
        if not n:
            raise ExpressionError(text, pos, "expected a percentile number")
        percentile = float(n.group())
        if not 0 <= percentile <= 100:
            raise ExpressionError(text, pos, f"percentile {n.group()} is not within 0..100")
        pos = _skip(text, n.end())
        if pos >= len(text) or text[pos] != ")":
            raise ExpressionError(text, pos, "expected ')'")
        pos += 1
        aggregation = "p"
    elif word in _AGGREGATIONS:
        aggregation = word
        pos = m.end()
    else:
        raise ExpressionError(text, pos, f"unknown aggregation {word!r}")
    pos = _skip(text, pos)
    op = next((o for o in _OPERATORS if text.startswith(o, pos)), None)
    if op is None:
        raise ExpressionError(text, pos, "expected an operator (<, <=, >, >=, ==, !=)")
    pos = _skip(text, pos + len(op))
    n = _NUMBER.match(text, pos)
    if not n:
        raise ExpressionError(text, pos, "expected a number")
    value = float(n.group())
    pos = _skip(text, n.end())
    if pos != len(text):
        raise ExpressionError(text, pos, "unexpected text after the number")
    return Expression(text.strip(), aggregation, "==" if op == "===" else op, value, percentile)
