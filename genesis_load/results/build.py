"""Building a :class:`~genesis_load.results.schema.Results` from a collector's stores.

Owns the translation of measured data (the cumulative store, the series) into the schema's
records: every metric and requested sub-metric with k6's stats, one row per request name, the
whole-run HDR histograms. Pure: no Locust, no files. Threshold verdicts, analysis and resources
come in as finished values from their owners; nothing here judges or edits them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..metrics.collector import Collector
from ..metrics.hdr import encode_histogram
from ..metrics.selector import Selector
from ..metrics.sinks import RateSink, TrendSink
from ..metrics.stats import DEFAULT_TREND_STATS, sink_values
from ..metrics.store import Store
from .schema import (
    RESULTS_FORMAT,
    RESULTS_VERSION,
    Meta,
    MetricEntry,
    RequestRow,
    Results,
    Series,
    SeriesPoint,
    ThresholdMark,
    ThresholdVerdict,
    Verdict,
)

__all__ = [
    "TAG_BREAKDOWNS",
    "breakdown_selectors",
    "build_results",
    "metric_entries",
    "request_rows",
]

#: Metrics whose results also list one sub-metric per value of these tags, whatever values the
#: run produced (``sse_stream_completed{reason:stall}``...), so a reader sees why streams failed
#: without declaring every reason in advance. ``"a+b"`` lists one per combination of values
#: (``ai_response_time{agent:BLAZE,complexity:simple}``).
TAG_BREAKDOWNS: Mapping[str, tuple[str, ...]] = {
    "http_reqs": ("error",),
    "iteration_errors": ("exception",),
    "sse_stream_completed": ("reason",),
    "ws_closes": ("code",),
    "ws_failures": ("reason",),
    "ai_response_time": ("agent", "complexity", "agent+complexity"),
    "ai_ttft": ("agent", "agent+complexity"),
    "ai_itl": ("agent",),
    "ai_tokens_per_s": ("agent",),
    "ai_quality": ("agent", "agent+complexity"),
    "ai_request_failed": ("agent",),
    "ai_failures": ("reason", "agent"),
    "ai_goodput": ("agent",),
}


def _finite(values: Mapping[str, Any]) -> dict[str, float]:
    return {k: v for k, v in values.items() if not (isinstance(v, float) and not math.isfinite(v))}


def metric_entries(
    store: Store,
    duration_s: float,
    trend_stats: tuple[str, ...],
    submetrics: Iterable[Selector] = (),
    marks: Mapping[str, dict[str, ThresholdMark]] | None = None,
) -> dict[str, MetricEntry]:
    """k6-style ``metrics`` map: each metric with data, then the requested sub-metrics."""
    out: dict[str, MetricEntry] = {}
    selectors = [Selector(n) for n in store.metric_names()] + list(submetrics)
    for selector in selectors:
        sink = store.query(selector)
        metric = store.metric(selector.metric)
        if sink is None or metric is None:
            continue
        key = str(selector)
        out[key] = MetricEntry(
            type=metric.kind,
            contains=metric.contains,
            values=_finite(sink_values(sink, trend_stats, duration_s)),
            thresholds=(marks or {}).get(key, {}),
        )
    return out


def request_rows(store: Store, duration_s: float, trend_stats: tuple[str, ...]) -> list[RequestRow]:
    """One row per request name: count, failures, throughput and the latency stats (ms)."""
    rows = []
    for name in store.tag_values("http_req_duration", "name"):
        tag = (("name", name),)
        duration = store.query(Selector("http_req_duration", tag))
        failed = store.query(Selector("http_req_failed", tag))
        if not isinstance(duration, TrendSink) or not isinstance(failed, RateSink):
            continue
        values = sink_values(duration, trend_stats, duration_s)
        methods = sorted(
            {
                v
                for b in store.requests.values()
                for k, v in b.tags
                if k == "method" and ("name", name) in b.tags
            }
        )
        count = int(values.pop("count"))
        rows.append(
            RequestRow(
                name=name,
                methods=methods,
                count=count,
                failed=failed.trues,
                rps=count / duration_s if duration_s > 0 else 0.0,
                duration_ms=_finite(values),
            )
        )
    return rows


def breakdown_selectors(
    store: Store, breakdowns: Mapping[str, tuple[str, ...]] = TAG_BREAKDOWNS
) -> list[Selector]:
    """One selector per (metric, tag, value) of ``breakdowns`` that has data in ``store``."""
    out = []
    for metric, tags in breakdowns.items():
        for tag in tags:
            if "+" in tag:
                out += [Selector(metric, c) for c in _combinations(store, metric, tag.split("+"))]
                continue
            out += [Selector(metric, ((tag, v),)) for v in store.tag_values(metric, tag)]
    return out


def _combinations(store: Store, metric: str, keys: list[str]) -> list[tuple[tuple[str, str], ...]]:
    """The distinct values of ``keys`` together among the metric's tag sets that have them all."""
    found = set()
    for name, tags in store.sinks:
        values = dict(tags)
        if name == metric and all(k in values for k in keys):
            found.add(tuple((k, values[k]) for k in keys))
    return sorted(found)


def _histograms(store: Store) -> dict[str, str]:
    """The whole run's HDR histogram of every time trend (HdrHistogram V2 format, base64).

    Readers decode them with any HdrHistogram library, for any percentile or a spectrum."""
    out = {}
    for name in store.metric_names():
        metric = store.metric(name)
        if metric is None or metric.kind != "trend" or metric.contains != "time":
            continue
        sink = store.query(Selector(name))
        if isinstance(sink, TrendSink) and sink.hist.get_total_count():
            out[name] = encode_histogram(sink.hist)
    return out


def _series(collector: Collector) -> Series:
    """The series' numbers without the wire forms, decoded one point at a time.

    The result is the largest thing built at the end of a run (up to 3,600 points of ~10
    keys, ~4 KB a point), so equal non-zero floats share one object (a replayed run repeats
    each value 3.5 times: 16% less memory). Values are unchanged: zeros keep their sign, ints
    stay ints."""
    shared: dict[float, float] = {}
    points = []
    for p in collector.series.points:
        entries = {
            key: {
                k: shared.setdefault(v, v) if type(v) is float and v else v
                for k, v in entry.items()
                if k != "wire"
            }
            for key, entry in p.entries.items()
        }
        points.append(SeriesPoint(p.start_s, p.end_s, entries))
    return Series(collector.series.max_points, collector.series.coalesced, points)


def build_results(
    collector: Collector,
    meta: Meta,
    trend_stats: tuple[str, ...] = DEFAULT_TREND_STATS,
    submetrics: Iterable[Selector] = (),
    *,
    thresholds: Sequence[ThresholdVerdict] = (),
    verdict: Verdict | None = None,
    analysis: dict[str, Any] | None = None,
    resources: dict[str, Any] | None = None,
) -> Results:
    """The whole document for a collector whose intervals are rolled."""
    store, duration_s = collector.cumulative, collector.duration_s
    marks: dict[str, dict[str, ThresholdMark]] = {}
    for t in thresholds:
        marks.setdefault(t.metric, {})[t.expression] = ThresholdMark(t.ok)
    return Results(
        format=RESULTS_FORMAT,
        version=RESULTS_VERSION,
        meta=meta,
        metrics=metric_entries(
            store, duration_s, trend_stats, [*submetrics, *breakdown_selectors(store)], marks
        ),
        requests=request_rows(store, duration_s, trend_stats),
        histograms=_histograms(store),
        series=_series(collector),
        thresholds=list(thresholds),
        verdict=verdict,
        analysis=analysis,
        resources=resources,
    )
