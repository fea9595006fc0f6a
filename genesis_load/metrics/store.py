"""The store: every aggregate of one span of time, keyed by metric and tag set.

Owns the layout of recorded data and the queries over it (a selector in, one merged sink out).
It does not own time (the collector rolls stores over) nor presentation (outputs read
query results).

HTTP requests are the hot path, so a request costs one histogram record and a few integer
adds into a :class:`RequestBucket`; the k6 metrics ``http_reqs``, ``http_req_failed``,
``data_received`` and ``data_sent`` are derived from the buckets when queried, not recorded
one by one. Every other metric is one sink per (metric, tag set).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from .metric import BUILTIN_METRICS, Metric
from .selector import Selector
from .sinks import CounterSink, GaugeSink, RateSink, Sink, TrendSink, sink_from_wire

__all__ = [
    "MERGE_PAUSE_EVERY_S",
    "REQUEST_METRICS",
    "MergedView",
    "Queryable",
    "RequestBucket",
    "Store",
    "TagItems",
    "tag_items",
]

TagItems = tuple[tuple[str, str], ...]

#: Work between two calls of ``Store.merge``'s ``pause``, in seconds: a histogram add costs
#: ~30 µs and a new one ~0.3 ms, so a count of tag sets would be no bound on time.
MERGE_PAUSE_EVERY_S = 0.0005

#: Metrics derived from request buckets rather than recorded as samples.
REQUEST_METRICS = frozenset(
    {
        "http_reqs",
        "http_req_duration",
        "http_req_duration_corrected",
        "http_req_waiting",
        "http_req_failed",
        "data_received",
        "data_sent",
    }
)
_TREND_PARTS = {
    "http_req_duration": "duration",
    "http_req_duration_corrected": "corrected",
    "http_req_waiting": "waiting",
}


def tag_items(tags: Mapping[str, Any] | None) -> TagItems:
    """The canonical, hashable form of a tag set (sorted pairs of strings).

    Keys starting with ``_`` are data for genesis-load (e.g. ``_lag_ms``), never tags.
    """
    if not tags:
        return ()
    return tuple(sorted((str(k), str(v)) for k, v in tags.items() if not str(k).startswith("_")))


class RequestBucket:
    """Aggregates of the requests that share one tag set (method, name, status, context)."""

    __slots__ = (
        "bytes_received",
        "bytes_sent",
        "corrected",
        "duration",
        "failed",
        "tags",
        "waiting",
    )

    def __init__(self, tags: TagItems) -> None:
        self.tags = tags
        self.duration = TrendSink()
        self.waiting: TrendSink | None = None
        #: Duration measured from the intended start (open-model iterations only).
        self.corrected: TrendSink | None = None
        self.failed = 0
        self.bytes_received = 0
        self.bytes_sent: int | None = None

    @property
    def count(self) -> int:
        return self.duration.count

    def merge(self, other: RequestBucket) -> None:
        self.duration.merge(other.duration)
        if other.waiting is not None:
            if self.waiting is None:
                self.waiting = TrendSink()
            self.waiting.merge(other.waiting)
        if other.corrected is not None:
            if self.corrected is None:
                self.corrected = TrendSink()
            self.corrected.merge(other.corrected)
        self.failed += other.failed
        self.bytes_received += other.bytes_received
        if other.bytes_sent is not None:
            self.bytes_sent = (self.bytes_sent or 0) + other.bytes_sent

    def to_wire(self) -> dict[str, Any]:
        return {
            "tags": [list(p) for p in self.tags],
            "duration": self.duration.to_wire(),
            "waiting": self.waiting.to_wire() if self.waiting is not None else None,
            "corrected": self.corrected.to_wire() if self.corrected is not None else None,
            "failed": self.failed,
            "bytes_received": self.bytes_received,
            "bytes_sent": self.bytes_sent,
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> RequestBucket:
        bucket = cls(tuple((str(k), str(v)) for k, v in data["tags"]))
        bucket.duration = TrendSink.from_wire(data["duration"])
        if data["waiting"] is not None:
            bucket.waiting = TrendSink.from_wire(data["waiting"])
        if data.get("corrected") is not None:
            bucket.corrected = TrendSink.from_wire(data["corrected"])
        bucket.failed = int(data["failed"])
        bucket.bytes_received = int(data["bytes_received"])
        bucket.bytes_sent = None if data["bytes_sent"] is None else int(data["bytes_sent"])
        return bucket


def new_sink(metric: Metric) -> Sink:
    if metric.kind == "trend":
        return TrendSink()
    if metric.kind == "rate":
        return RateSink()
    if metric.kind == "counter":
        return CounterSink()
    return GaugeSink()


class Store:
    """Request buckets and metric sinks for one span of time. Not thread-safe (gevent is)."""

    def __init__(self) -> None:
        self.requests: dict[TagItems, RequestBucket] = {}
        self.sinks: dict[tuple[str, TagItems], Sink] = {}
        self.metrics: dict[str, Metric] = {}

    # -- recording -------------------------------------------------------------------------
    def request_bucket(self, tags: TagItems) -> RequestBucket:
        bucket = self.requests.get(tags)
        if bucket is None:
            bucket = self.requests[tags] = RequestBucket(tags)
        return bucket

    def sink(self, metric: Metric, tags: TagItems) -> Sink:
        key = (metric.name, tags)
        sink = self.sinks.get(key)
        if sink is None:
            self.metrics.setdefault(metric.name, metric)
            sink = self.sinks[key] = new_sink(metric)
        return sink

    # -- combining -------------------------------------------------------------------------
    def merge(
        self, other: Store, pause: Callable[[], object] | None = None, consume: bool = False
    ) -> None:
        """Add ``other``'s aggregates into this store, exactly.

        ``pause`` is called whenever :data:`MERGE_PAUSE_EVERY_S` of work has passed since the
        last call (a run with many request names has hundreds of tag sets, each a histogram
        add), so a cooperative caller can let due work run. With ``consume``, each tag set
        leaves ``other`` once it is in this store: a reader of both stores meanwhile (a
        :class:`MergedView`) counts everything exactly once. Consume a :meth:`shallow_copy` to
        keep the original whole.
        """
        clock = time.perf_counter
        since = clock()
        for tags, bucket in list(other.requests.items()):
            self.request_bucket(tags).merge(bucket)
            if consume:
                del other.requests[tags]
            if pause is not None and clock() - since >= MERGE_PAUSE_EVERY_S:
                pause()
                since = clock()
        for key, sink in list(other.sinks.items()):
            name, tags = key
            mine = self.sink(other.metrics[name], tags)
            mine.merge(sink)  # type: ignore[arg-type]
            if consume:
                del other.sinks[key]
            if pause is not None and clock() - since >= MERGE_PAUSE_EVERY_S:
                pause()
                since = clock()

    def shallow_copy(self) -> Store:
        """A store with the same buckets and sinks (shared, not copied) in its own dicts."""
        copy = Store()
        copy.requests = dict(self.requests)
        copy.sinks = dict(self.sinks)
        copy.metrics = dict(self.metrics)
        return copy

    def to_wire(self) -> dict[str, Any]:
        return {
            "requests": [b.to_wire() for b in self.requests.values()],
            "metrics": {
                n: {"kind": m.kind, "contains": m.contains} for n, m in self.metrics.items()
            },
            "sinks": [
                {"metric": name, "tags": [list(p) for p in tags], "sink": sink.to_wire()}
                for (name, tags), sink in self.sinks.items()
            ],
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Store:
        store = cls()
        for raw in data["requests"]:
            bucket = RequestBucket.from_wire(raw)
            store.requests[bucket.tags] = bucket
        for name, meta in data["metrics"].items():
            store.metrics[name] = Metric(name, meta["kind"], meta["contains"])
        for raw in data["sinks"]:
            tags = tuple((str(k), str(v)) for k, v in raw["tags"])
            store.sinks[(raw["metric"], tags)] = sink_from_wire(raw["sink"])
        return store

    # -- queries ---------------------------------------------------------------------------
    def metric(self, name: str) -> Metric | None:
        """The definition of a metric that has data here, or a built-in one."""
        return self.metrics.get(name) or BUILTIN_METRICS.get(name)

    def metric_names(self) -> list[str]:
        """Names of every metric with data, request-derived ones included, sorted."""
        names = set(self.metrics)
        if self.requests:
            names |= {"http_reqs", "http_req_duration", "http_req_failed", "data_received"}
            if any(b.waiting is not None for b in self.requests.values()):
                names.add("http_req_waiting")
            if any(b.corrected is not None for b in self.requests.values()):
                names.add("http_req_duration_corrected")
            if any(b.bytes_sent is not None for b in self.requests.values()):
                names.add("data_sent")
        return sorted(names)

    def _buckets(self, selector: Selector) -> Iterator[RequestBucket]:
        for bucket in self.requests.values():
            if selector.matches(dict(bucket.tags)):
                yield bucket

    def query(self, selector: Selector) -> Sink | None:
        """One sink merging every tag set the selector matches; None when nothing matches.

        When a single tag set matches, its own sink is returned (no copy: a histogram costs
        ~0.3 ms to create), so callers must treat the result as read-only.
        """
        name = selector.metric
        if name in REQUEST_METRICS:
            return self._query_requests(selector)
        metric = self.metrics.get(name)
        if metric is None:
            return None
        matching = [
            sink
            for (sink_name, tags), sink in self.sinks.items()
            if sink_name == name and selector.matches(dict(tags))
        ]
        if len(matching) <= 1:
            return matching[0] if matching else None
        merged = new_sink(metric)
        for sink in matching:
            merged.merge(sink)  # type: ignore[arg-type]
        return merged

    def _query_requests(self, selector: Selector) -> Sink | None:
        buckets = list(self._buckets(selector))
        if not buckets:
            return None
        return _request_sink(selector.metric, buckets)

    def tag_values(self, metric_name: str, tag: str) -> list[str]:
        """Distinct values of ``tag`` among the tag sets that have data for the metric."""
        if metric_name in REQUEST_METRICS:
            tag_sets: list[TagItems] = [b.tags for b in self.requests.values()]
        else:
            tag_sets = [tags for (n, tags) in self.sinks if n == metric_name]
        values = {v for tags in tag_sets for k, v in tags if k == tag}
        return sorted(values)


class Queryable(Protocol):
    """What judging a threshold reads: a :class:`Store` or a :class:`MergedView`."""

    def query(self, selector: Selector) -> Sink | None: ...

    def metric(self, name: str) -> Metric | None: ...


class MergedView:
    """Several stores read as if merged into one, without merging them (read-only, lazy).

    ``MergedView([a, b, c]).query(s)`` gives the same aggregate as merging ``a``, ``b`` and
    ``c`` into a new store, in that order, and querying it: the same counts, sums, min, max and
    histogram counts (merging is exact and, for trends, counters and rates, order-free), and for
    gauges the same last value, ties broken by the same order (tag sets in order of first
    appearance, then the stores in order). Only what the selector matches is read and merged,
    so a check of a few selectors costs a few merges, not a copy of every series. The sinks
    returned may be a store's own: treat them as read-only.
    """

    def __init__(self, stores: Sequence[Store]) -> None:
        self.stores = list(stores)

    def metric(self, name: str) -> Metric | None:
        for store in self.stores:
            metric = store.metrics.get(name)
            if metric is not None:
                return metric
        return BUILTIN_METRICS.get(name)

    def query(self, selector: Selector) -> Sink | None:
        name = selector.metric
        if name in REQUEST_METRICS:
            return self._query_requests(selector)
        metric = None
        for store in self.stores:
            metric = store.metrics.get(name)
            if metric is not None:
                break
        if metric is None:
            return None
        # matching sinks grouped by tag set, tag sets in order of first appearance
        groups: dict[TagItems, list[Sink]] = {}
        for store in self.stores:
            for (sink_name, tags), sink in store.sinks.items():
                if sink_name != name:
                    continue
                group = groups.get(tags)
                if group is None:
                    if not selector.matches(dict(tags)):
                        continue
                    group = groups[tags] = []
                group.append(sink)
        if not groups:
            return None
        matching = [sink for group in groups.values() for sink in group]
        if len(matching) == 1:
            return matching[0]
        merged = new_sink(metric)
        for sink in matching:
            merged.merge(sink)  # type: ignore[arg-type]
        return merged

    def _query_requests(self, selector: Selector) -> Sink | None:
        matched: dict[TagItems, bool] = {}
        buckets: list[RequestBucket] = []
        for store in self.stores:
            for tags, bucket in store.requests.items():
                ok = matched.get(tags)
                if ok is None:
                    ok = matched[tags] = selector.matches(dict(tags))
                if ok:
                    buckets.append(bucket)
        if not buckets:
            return None
        return _request_sink(selector.metric, buckets)


def _request_sink(name: str, buckets: Sequence[RequestBucket]) -> Sink | None:
    """A request metric (``http_*``, ``data_*``) over the matching request buckets."""
    if name in _TREND_PARTS:
        parts: list[TrendSink] = [
            p for b in buckets if (p := getattr(b, _TREND_PARTS[name])) is not None
        ]
        if len(parts) == 1:
            return parts[0]
        trend = TrendSink()
        for part in parts:
            trend.merge(part)
        return trend if trend.count or name == "http_req_duration" else None
    total = sum(b.count for b in buckets)
    if name == "http_reqs":
        return CounterSink(value=float(total), count=total)
    if name == "http_req_failed":
        return RateSink(trues=sum(b.failed for b in buckets), total=total)
    if name == "data_received":
        return CounterSink(value=float(sum(b.bytes_received for b in buckets)), count=total)
    sent = [b.bytes_sent for b in buckets if b.bytes_sent is not None]
    if not sent:
        return None
    return CounterSink(value=float(sum(sent)), count=total)
