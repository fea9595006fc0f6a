"""Threshold declarations: from Python dicts, TOML tables and ``--threshold`` options.

Owns what a threshold *is* (a selector, an expression and its abort options) and validating a
declaration against the known metrics. Every problem of every declaration is collected and
raised once, as a :class:`~genesis_load.errors.ConfigError`, before any load is sent.

A declaration maps a metric selector to a list of expressions, as in k6::

    {
        "http_req_duration": ["p(95)<500", "p(99)<1000"],
        "http_req_duration{name:/health}": ["med<50"],
        "http_req_failed": [{"threshold": "rate<0.01", "abortOnFail": True,
                             "delayAbortEval": "10s"}],
        # beyond k6: abort only after a sustained breach, or judge one stage only
        "http_req_duration{scenario:spike}": [
            {"threshold": "p(95)<500", "abortOnFail": True, "abortWhenFailingFor": "10s"},
            {"threshold": "p(95)<800", "stage": "spike"},
        ],
    }
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..metrics.metric import Metric, declared_metrics
from ..metrics.selector import Selector, parse_selector
from .parser import Expression, parse_expression

__all__ = [
    "AGGREGATIONS_BY_KIND",
    "DYNAMIC_METRIC_PREFIXES",
    "Threshold",
    "collect_thresholds",
    "parse_cli_threshold",
    "thresholds_from_mapping",
    "validate_metrics",
]

#: Aggregations each metric type accepts (k6's table, plus count on trends and min/max on gauges).
AGGREGATIONS_BY_KIND: dict[str, tuple[str, ...]] = {
    "trend": ("avg", "min", "max", "med", "p", "count"),
    "rate": ("rate",),
    "counter": ("count", "rate"),
    "gauge": ("value", "min", "max"),
}

#: Metric families created while running (one per Server-Timing entry name).
DYNAMIC_METRIC_PREFIXES: dict[str, Metric] = {
    "server_timing_": Metric("server_timing_x", "trend", "time"),
}

_OPTION_KEYS = {
    "threshold",
    "abortOnFail",
    "delayAbortEval",
    "abortWhenFailingFor",
    "stage",
    "window",
}


@dataclass(frozen=True)
class Threshold:
    """One expression on one (sub-)metric, with its abort rules and scope."""

    selector: Selector
    expression: Expression
    abort_on_fail: bool = False
    delay_abort_eval_s: float = 0.0
    #: Beyond k6: abort only when every interval of this many seconds has failed.
    abort_when_failing_for_s: float | None = None
    #: Beyond k6: judge only the data of one named stage of the shape.
    stage: str | None = None
    #: Beyond k6: judge only the data between these run-relative seconds.
    window_s: tuple[float, float] | None = None
    source: str = ""

    @property
    def key(self) -> str:
        return f"{self.selector}: {self.expression.text}"


def _metric_for(name: str, known: Mapping[str, Metric]) -> Metric | None:
    if name in known:
        return known[name]
    for prefix, metric in DYNAMIC_METRIC_PREFIXES.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            return metric
    return None


def validate_metrics(
    thresholds: Iterable[Threshold], extra_metrics: Mapping[str, Metric] | None = None
) -> None:
    """Check every threshold names a known metric and an aggregation its type supports."""
    known = {**declared_metrics(), **(extra_metrics or {})}
    problems: list[str] = []
    for t in thresholds:
        metric = _metric_for(t.selector.metric, known)
        where = f"{t.source}: " if t.source else ""
        if metric is None:
            problems.append(
                f"{where}threshold {t.key!r}: unknown metric {t.selector.metric!r} "
                f"(known: {', '.join(sorted(known))}, server_timing_<name>)"
            )
            continue
        allowed = AGGREGATIONS_BY_KIND[metric.kind]
        if t.expression.aggregation not in allowed:
            shown = ", ".join("p(N)" if a == "p" else a for a in allowed)
            problems.append(
                f"{where}threshold {t.key!r}: {t.expression.stat!r} does not apply to "
                f"{metric.kind} metric {metric.name!r} (use {shown})"
            )
    if problems:
        raise ConfigError(problems)


def _duration(value: Any, where: str, problems: list[str]) -> float | None:
    if isinstance(value, bool):
        problems.append(f"{where}: expected a duration like '10s', got {value!r}")
        return None
    if isinstance(value, int | float):
        if value < 0:
            problems.append(f"{where}: must not be negative, got {value!r}")
            return None
        return float(value)
    if isinstance(value, str):
        from ..pacing import parse_duration_s  # k6 duration strings: "10s", "1m30s"

        try:
            return parse_duration_s(value, where)
        except ConfigError as e:
            problems.extend(e.problems)
            return None
    problems.append(f"{where}: expected a duration like '10s', got {value!r}")
    return None


def _one(selector: Selector, raw: Any, where: str, problems: list[str]) -> Threshold | None:
    if isinstance(raw, str):
        raw = {"threshold": raw}
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: expected an expression string or a table, got {raw!r}")
        return None
    for key in raw:
        if key not in _OPTION_KEYS:
            problems.append(
                f"{where}.{key}: unknown key (expected {', '.join(sorted(_OPTION_KEYS))})"
            )
    text = raw.get("threshold")
    if not isinstance(text, str):
        problems.append(f"{where}.threshold: missing expression string")
        return None
    try:
        expression = parse_expression(text)
    except ConfigError as e:
        problems.append(f"{where}: {e}")
        return None
    abort = raw.get("abortOnFail", False)
    if not isinstance(abort, bool):
        problems.append(f"{where}.abortOnFail: expected true or false, got {abort!r}")
        abort = False
    delay = _duration(raw.get("delayAbortEval", 0), f"{where}.delayAbortEval", problems)
    sustained = None
    if "abortWhenFailingFor" in raw:
        sustained = _duration(raw["abortWhenFailingFor"], f"{where}.abortWhenFailingFor", problems)
        if not abort:
            problems.append(f"{where}.abortWhenFailingFor: needs abortOnFail = true")
    stage = raw.get("stage")
    if stage is not None and not (isinstance(stage, str) and stage):
        problems.append(f"{where}.stage: expected a stage name, got {stage!r}")
        stage = None
    window = None
    if "window" in raw:
        w = raw["window"]
        if isinstance(w, Sequence) and not isinstance(w, str) and len(w) == 2:
            start = _duration(w[0], f"{where}.window[0]", problems)
            end = _duration(w[1], f"{where}.window[1]", problems)
            if start is not None and end is not None:
                if end <= start:
                    problems.append(f"{where}.window: end must be after start, got {w!r}")
                else:
                    window = (start, end)
        else:
            problems.append(f"{where}.window: expected [start, end], got {w!r}")
    if stage is not None and window is not None:
        problems.append(f"{where}: give either stage or window, not both")
    return Threshold(
        selector, expression, abort, delay or 0.0, sustained, stage, window, source=where
    )


def collect_thresholds(
    mapping: Mapping[str, Any], where: str = "thresholds"
) -> tuple[list[Threshold], list[str]]:
    """The valid thresholds of a k6-style mapping, and every problem found in it."""
    problems: list[str] = []
    out: list[Threshold] = []
    if not isinstance(mapping, Mapping):
        return [], [f"{where}: expected a table of metric -> expressions"]
    for key, value in mapping.items():
        at = f"{where}[{key!r}]"
        try:
            selector = parse_selector(str(key))
        except ConfigError as e:
            problems.append(f"{at}: {e}")
            continue
        items = [value] if isinstance(value, str | Mapping) else value
        if not isinstance(items, Sequence) or not items:
            problems.append(f"{at}: expected a list of expressions, got {value!r}")
            continue
        for i, raw in enumerate(items):
            t = _one(selector, raw, f"{at}[{i}]", problems)
            if t is not None:
                out.append(t)
    return out, problems


def thresholds_from_mapping(
    mapping: Mapping[str, Any], where: str = "thresholds"
) -> list[Threshold]:
    """Build thresholds from a k6-style mapping; all problems raised at once."""
    out, problems = collect_thresholds(mapping, where)
    if problems:
        raise ConfigError(problems)
    return out


def _split_cli(text: str) -> tuple[str, str] | None:
    depth, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "{":
            depth += 1
        elif not quoted and ch == "}":
            depth -= 1
        elif not quoted and depth == 0 and ch == ":":
            return text[:i].strip(), text[i + 1 :].strip()
    return None


def parse_cli_threshold(text: str) -> list[Threshold]:
    """``--threshold 'http_req_duration{name:/x}: p(95)<500'`` (several expressions: ``;``)."""
    where = f"--threshold {text!r}"
    parts = _split_cli(text)
    if parts is None or not parts[0] or not parts[1]:
        raise ConfigError(f"{where}: expected 'METRIC[{{tag:value}}]: EXPRESSION'")
    try:
        selector = parse_selector(parts[0])
    except ConfigError as e:
        raise ConfigError(f"{where}: {e}") from e
    problems: list[str] = []
    out = [
        t
        for e in parts[1].split(";")
        if e.strip() and (t := _one(selector, e.strip(), where, problems)) is not None
    ]
    if problems:
        raise ConfigError(problems)
    return out
