"""Metric selectors: ``http_req_duration{name:/health,status:200}`` (k6 sub-metric syntax).

Grammar (whitespace around tokens is ignored)::

    selector   ::= metric [ "{" [ filter { "," filter } ] "}" ]
    metric     ::= NAME                       ; [A-Za-z_][A-Za-z0-9_]*
    filter     ::= TAG ":" value
    TAG        ::= [A-Za-z_][A-Za-z0-9_.-]*
    value      ::= QUOTED | BARE
    QUOTED     ::= '"' { any char but '"' } '"'
    BARE       ::= { any char but ',' '}' }   ; trimmed, may contain ':' (e.g. URLs)

A selector matches a sample whose tags contain every filter's tag with exactly that value;
a selector with no filters matches every sample of the metric. Parsing never touches a
registry: whether the metric exists is checked by the caller, which knows the declared metrics.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import SelectorError

__all__ = ["Selector", "parse_selector"]

_METRIC = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TAG = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Selector:
    """A metric name and the tag values a sample must carry to be counted."""

    metric: str
    filters: tuple[tuple[str, str], ...] = ()

    def matches(self, tags: Mapping[str, str]) -> bool:
        return all(tags.get(k) == v for k, v in self.filters)

    def __str__(self) -> str:
        if not self.filters:
            return self.metric
        inner = ",".join(f"{k}:{_quote(v)}" for k, v in self.filters)
        return f"{self.metric}{{{inner}}}"


def _quote(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ',}"') or value != value.strip() else value


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def parse_selector(text: str) -> Selector:
    """Parse one selector; raise :class:`SelectorError` naming the position of the problem."""
    pos = _skip_ws(text, 0)
    m = _METRIC.match(text, pos)
    if not m:
        raise SelectorError(text, pos, "expected a metric name")
    metric = m.group()
    pos = _skip_ws(text, m.end())
    if pos == len(text):
        return Selector(metric)
    if text[pos] != "{":
        raise SelectorError(text, pos, "expected '{' or the end after the metric name")
    pos = _skip_ws(text, pos + 1)
    filters: list[tuple[str, str]] = []
    seen: set[str] = set()
    if pos < len(text) and text[pos] == "}":
        pos += 1
    else:
        while True:
            t = _TAG.match(text, pos)
            if not t:
                raise SelectorError(text, pos, "expected a tag name")
            tag = t.group()
            if tag in seen:
                raise SelectorError(text, pos, f"tag {tag!r} appears twice")
            seen.add(tag)
            pos = _skip_ws(text, t.end())
            if pos >= len(text) or text[pos] != ":":
                raise SelectorError(text, pos, f"expected ':' after tag {tag!r}")
            pos = _skip_ws(text, pos + 1)
            if pos < len(text) and text[pos] == '"':
                end = text.find('"', pos + 1)
                if end < 0:
                    raise SelectorError(text, pos, "unterminated quoted value")
                value = text[pos + 1 : end]
                pos = _skip_ws(text, end + 1)
            else:
                start = pos
                while pos < len(text) and text[pos] not in ",}":
                    pos += 1
                value = text[start:pos].strip()
                if not value:
                    raise SelectorError(text, start, f"empty value for tag {tag!r}")
            filters.append((tag, value))
            if pos >= len(text):
                raise SelectorError(text, pos, "expected ',' or '}'")
            if text[pos] == "}":
                pos += 1
                break
            pos = _skip_ws(text, pos + 1)  # the ','
    pos = _skip_ws(text, pos)
    if pos != len(text):
        raise SelectorError(text, pos, "unexpected text after '}'")
    return Selector(metric, tuple(filters))
