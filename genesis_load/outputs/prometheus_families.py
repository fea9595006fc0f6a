"""Prometheus metric families from a genesis-load store (the ``prometheus`` output's rendering).

Owns turning a cumulative :class:`~genesis_load.metrics.store.Store` into prometheus_client
metric families at each scrape; the names and labels are listed in :mod:`.prometheus`. Imports
prometheus_client (which imports ssl), so it is loaded only when the output is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from ..metrics.sinks import CounterSink, GaugeSink, RateSink, TrendSink
from ..metrics.stats import STORED_PER_UNIT
from ..metrics.store import RequestBucket, Store, TagItems
from .quantiles import QUANTILES, trend_quantiles

__all__ = ["BUCKETS_MS", "QUANTILES", "RunCollector"]

#: Histogram bucket upper bounds (ms), exported in seconds; counts come exactly from the HDR.
BUCKETS_MS: tuple[float, ...] = (
    1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
)  # fmt: skip
#: The exact percentiles exported as gauges.
_LABEL = re.compile(r"[^a-zA-Z0-9_]")
_PREFIX = "genesis_load_"


def _label(key: str) -> str:
    name = _LABEL.sub("_", key)
    return f"tag_{name}" if not name or name[0].isdigit() or name.startswith("__") else name


class _Family:
    """Rows of one family: label names are the union of every row's tag keys."""

    def __init__(self, rows: Sequence[tuple[TagItems, Any]]) -> None:
        keys = sorted({k for tags, _ in rows for k, _ in tags})
        self.labels = [_label(k) for k in keys]
        self.rows = [([dict(tags).get(k, "") for k in keys], v) for tags, v in rows]


def _histogram(
    name: str, doc: str, rows: Sequence[tuple[TagItems, TrendSink]]
) -> HistogramMetricFamily:
    family = _Family(rows)
    metric = HistogramMetricFamily(name, doc, labels=family.labels)
    for values, sink in family.rows:
        metric.add_metric(values, _buckets(sink), sink.total / STORED_PER_UNIT / 1000.0)
    return metric


def _buckets(sink: TrendSink) -> list[tuple[str, float]]:
    """Cumulative counts at each bound (µs in the histogram), exact up to HDR's precision.

    A value counts as ``<= bound`` when its HDR slot's lowest value is; read from a running sum
    of the counts array (numpy), not HdrHistogram's pure-Python iterator, which took ~0.2 s
    per histogram and stalled the run's event loop during each scrape."""
    hist = sink.hist
    cumulative = np.cumsum(np.ctypeslib.as_array(hist.counts)[: hist.counts_len])
    out = []
    for bound_ms in BUCKETS_MS:
        index = min(
            hist.get_counts_array_index(int(bound_ms * STORED_PER_UNIT)), len(cumulative) - 1
        )
        out.append((f"{bound_ms / 1000.0:g}", float(cumulative[index]) if sink.count else 0.0))
    out.append(("+Inf", float(sink.count)))
    return out


class RunCollector(Collector):
    """Renders a cumulative store, and the run's own families, at each scrape."""

    def __init__(self, store: Callable[[], Store], run: Callable[[], Iterable[Metric]]) -> None:
        self.store = store
        self.run = run

    def collect(self) -> Iterator[Metric]:
        store = self.store()
        yield from _request_families(list(store.requests.values()))
        yield from _sample_families(store)
        yield _quantiles(store)
        yield from self.run()


def _request_families(buckets: list[RequestBucket]) -> Iterator[Metric]:
    rows = [(b.tags, b) for b in buckets]
    family = _Family(rows)
    reqs = CounterMetricFamily(
        f"{_PREFIX}http_reqs", "HTTP requests (k6's http_reqs)", labels=family.labels
    )
    failed = CounterMetricFamily(
        f"{_PREFIX}http_req_failed", "failed HTTP requests", labels=family.labels
    )
    received = CounterMetricFamily(
        f"{_PREFIX}data_received_bytes", "bytes received", labels=family.labels
    )
    for values, bucket in family.rows:
        reqs.add_metric(values, bucket.count)
        failed.add_metric(values, bucket.failed)
        received.add_metric(values, bucket.bytes_received)
    yield from (reqs, failed, received)
    sent = [(b.tags, b.bytes_sent) for b in buckets if b.bytes_sent is not None]
    if sent:
        sent_family = _Family(sent)
        metric = CounterMetricFamily(
            f"{_PREFIX}data_sent_bytes", "bytes sent", labels=sent_family.labels
        )
        for values, n in sent_family.rows:
            metric.add_metric(values, n)
        yield metric
    for part, name in (
        ("duration", "http_req_duration"),
        ("waiting", "http_req_waiting"),
        ("corrected", "http_req_duration_corrected"),
    ):
        trends = [(b.tags, t) for b in buckets if (t := getattr(b, part)) is not None]
        if trends:
            yield _histogram(f"{_PREFIX}{name}_seconds", f"{name} (k6's), seconds", trends)


def _sample_families(store: Store) -> Iterator[Metric]:
    by_name: dict[str, list[tuple[TagItems, Any]]] = {}
    for (name, tags), sink in store.sinks.items():
        by_name.setdefault(name, []).append((tags, sink))
    for name, rows in sorted(by_name.items()):
        metric = store.metrics[name]
        doc = metric.description or f"genesis-load metric {name}"
        family = _Family(rows)
        base = f"{_PREFIX}{name}"
        if metric.kind == "counter":
            c = CounterMetricFamily(base, doc, labels=family.labels)
            for values, sink in family.rows:
                assert isinstance(sink, CounterSink)
                c.add_metric(values, sink.value)
            yield c
        elif metric.kind == "rate":
            trues = CounterMetricFamily(
                f"{base}_trues", f"{doc}: true samples", labels=family.labels
            )
            total = CounterMetricFamily(f"{base}_samples", f"{doc}: samples", labels=family.labels)
            ratio = GaugeMetricFamily(f"{base}_ratio", f"{doc}: share true", labels=family.labels)
            for values, sink in family.rows:
                assert isinstance(sink, RateSink)
                trues.add_metric(values, sink.trues)
                total.add_metric(values, sink.total)
                ratio.add_metric(values, sink.rate)
            yield from (trues, total, ratio)
        elif metric.kind == "gauge":
            g = GaugeMetricFamily(base, doc, labels=family.labels)
            for values, sink in family.rows:
                assert isinstance(sink, GaugeSink)
                g.add_metric(values, sink.value)
            yield g
        elif metric.contains == "time":
            yield _histogram(f"{base}_seconds", f"{doc}, seconds", rows)


def _quantiles(store: Store) -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        f"{_PREFIX}trend_quantile",
        "exact HDR percentiles of each trend (ms for time trends); name: request name, '' = all",
        labels=["metric", "name", "quantile"],
    )
    for metric_name, request_name, q, value in trend_quantiles(store):
        family.add_metric([metric_name, request_name, f"{q / 100:g}"], value)
    return family
