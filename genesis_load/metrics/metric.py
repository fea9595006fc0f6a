"""Metric definitions: names, types, units, the built-in set, and custom metrics.

A :class:`Metric` says what a name means (k6's ``trend``/``rate``/``counter``/``gauge`` and
whether a trend holds time). It holds no data: samples go through :data:`samples` (an event
hook) to whichever collector listens, the way Locust clients fire ``events.request`` and never
import stats.

Units: time trends are given in **milliseconds** (Locust's and k6's unit) and stored as integer
microseconds; other trends are stored as integer milli-units (three decimals kept).

Usage in a locustfile::

    from genesis_load import Trend

    ai_ttft = Trend("ai_ttft", time=True)

    class Chat(HttpUser):
        @task
        def ask(self):
            ...
            ai_ttft.add(ttft_ms, tags={"agent": "BLAZE"})
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BUILTIN_METRICS",
    "Counter",
    "Gauge",
    "Metric",
    "MetricKind",
    "Rate",
    "SampleHook",
    "Trend",
    "samples",
]

MetricKind = Literal["trend", "rate", "counter", "gauge"]
Contains = Literal["time", "data", "default"]

_log = logging.getLogger("genesis_load")

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


@dataclass(frozen=True)
class Metric:
    """What a metric name means. ``contains`` is ``time`` (ms), ``data`` (bytes) or ``default``."""

    name: str
    kind: MetricKind
    contains: Contains = "default"
    description: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(
                f"invalid metric name {self.name!r}: use letters, digits and '_', "
                "starting with a letter or '_'"
            )


_BUILTINS = [
    Metric("http_reqs", "counter", "default", "HTTP requests made"),
    Metric("http_req_duration", "trend", "time", "request time, start to last byte"),
    Metric("http_req_waiting", "trend", "time", "time to first byte, where the client has it"),
    Metric("http_req_failed", "rate", "default", "share of requests Locust counted as failed"),
    Metric("data_received", "counter", "data", "response bytes received"),
    Metric("data_sent", "counter", "data", "request bytes sent, where the client has it"),
    Metric("iterations", "counter", "default", "completed task iterations"),
    Metric(
        "iteration_errors",
        "counter",
        "default",
        "iterations whose code raised an exception (tagged error, exception)",
    ),
    Metric("iteration_duration", "trend", "time", "time of one task iteration"),
    Metric("vus", "gauge", "default", "running users"),
    Metric("vus_max", "gauge", "default", "most users at once"),
    Metric(
        "http_req_duration_corrected",
        "trend",
        "time",
        "request time plus its iteration's schedule lag (coordinated omission corrected)",
    ),
    Metric(
        "dropped_iterations",
        "counter",
        "default",
        "iterations not started because no VU was free (open model)",
    ),
    Metric("schedule_lag", "trend", "time", "actual minus intended iteration start"),
    Metric(
        "offered_iterations",
        "counter",
        "default",
        "iterations the schedule called for, started or dropped (the offered load)",
    ),
    Metric(
        "iteration_duration_corrected",
        "trend",
        "time",
        "iteration time measured from its intended start",
    ),
    Metric("checks", "rate", "default", "share of passed checks"),
    Metric("group_duration", "trend", "time", "time spent in a group"),
    Metric("cache_hit", "rate", "default", "share of responses served from a cache"),
]

#: Built-in metrics with k6's names, by name.
BUILTIN_METRICS: dict[str, Metric] = {m.name: m for m in _BUILTINS}

SampleListener = Callable[[Metric, float, Mapping[str, str] | None], None]


class SampleHook:
    """An event hook: listeners get ``(metric, value, tags)`` for each sample.

    Like Locust's ``EventHook``, a listener that raises is logged and skipped: a broken
    listener never raises into the user that recorded the sample, and the other listeners still
    get it. ``failures`` counts such errors so the run can report them.
    """

    def __init__(self) -> None:
        self._listeners: list[SampleListener] = []
        self.failures = 0

    def add_listener(self, listener: SampleListener) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove_listener(self, listener: SampleListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def fire(self, metric: Metric, value: float, tags: Mapping[str, str] | None) -> None:
        for listener in self._listeners:
            try:
                listener(metric, value, tags)
            except Exception:
                self.failures += 1
                _log.exception("genesis-load: a sample listener failed on %s", metric.name)


#: Every custom-metric sample is fired here; the collector listens.
samples = SampleHook()

#: Custom metrics declared in this process, by name (built-ins included).
_declared: dict[str, Metric] = dict(BUILTIN_METRICS)


def declared_metrics() -> dict[str, Metric]:
    """Every metric known in this process: built-ins and custom ones, by name."""
    return dict(_declared)


def _declare(metric: Metric) -> Metric:
    existing = _declared.get(metric.name)
    if existing is not None and (existing.kind, existing.contains) != (
        metric.kind,
        metric.contains,
    ):
        raise ValueError(
            f"metric {metric.name!r} is already declared as a {existing.kind} "
            f"({existing.contains}); it cannot also be a {metric.kind} ({metric.contains})"
        )
    _declared.setdefault(metric.name, metric)
    return _declared[metric.name]


class _Custom:
    kind: MetricKind

    def __init__(self, name: str, *, contains: Contains = "default", description: str = ""):
        self.metric = _declare(Metric(name, self.kind, contains, description))

    @property
    def name(self) -> str:
        return self.metric.name

    def add(self, value: float, tags: Mapping[str, str] | None = None) -> None:
        """Record one sample (time trends in milliseconds) with optional tags."""
        samples.fire(self.metric, value, tags)


class Trend(_Custom):
    """A distribution (k6 ``Trend``): ``Trend("ai_ttft", time=True).add(812.5)``."""

    kind: MetricKind = "trend"

    def __init__(self, name: str, time: bool = False, description: str = "") -> None:
        super().__init__(name, contains="time" if time else "default", description=description)


class Rate(_Custom):
    """Share of true samples (k6 ``Rate``): ``Rate("answer_ok").add(score > 0.85)``."""

    kind: MetricKind = "rate"


class Counter(_Custom):
    """A cumulative sum (k6 ``Counter``): ``Counter("tokens").add(57)``."""

    kind: MetricKind = "counter"


class Gauge(_Custom):
    """The last value, with min and max (k6 ``Gauge``): ``Gauge("queue_depth").add(12)``."""

    kind: MetricKind = "gauge"
