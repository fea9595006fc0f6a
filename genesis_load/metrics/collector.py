"""The collector: where samples arrive, and how time is cut into intervals.

Owns the current interval's store, the cumulative store and the series. It is fed by the
Locust glue (``plugin``) and by custom metrics through ``metric.samples``; it never imports
Locust, gevent or a clock of its own: callers pass ``now_s``, so tests drive it on a fake clock.

Per request the cost is one dict look-up, one HDR record and a few integer adds (see
``benchmarks/recording.py`` and ``benchmarks/micro_recording.py``); merging into the cumulative
store happens once per interval.

Fast paths (issue 15). A sample's tags are turned into their canonical form
(:func:`~genesis_load.metrics.store.tag_items`: sorted, stringified) once per distinct tag set
and interval, not per sample: the request bucket or metric sink of the current store is cached
under a key made from the tag *contents* at C speed (the tuple of the mapping's keys, then the
tag values picked by an ``operator.itemgetter`` built once per key layout). Contents, not object
identity: Locust builds a new context dict per request, and a dict mutated between two samples
is looked up by what it holds now, never served from a stale entry. The key decides the sink
exactly when tag keys and values are ``str`` (the canonical form is then a function of the key);
a tag set with any other key or value type takes the canonical path every time, as before.
Assigning :attr:`Collector.current` (every interval boundary) drops the caches, so a new
interval always resolves fresh sinks in its own store.

Distributed runs (time-stamped worker data). A worker closes its own intervals
(:meth:`Collector.close_interval`, on its ticker) and ships them with their wall-clock bounds
(:meth:`Collector.drain_intervals`). The master runs on a grid (:meth:`Collector.use_grid`):
cell ``i`` covers ``[start_s + i * interval_s, start_s + (i + 1) * interval_s)`` and an interval
of data ``[a, b]`` goes to the cell of its midpoint, ``i = floor(((a + b) / 2 - start_s) /
interval_s)``. :meth:`Collector.advance` closes a cell only once it ended ``lag_s`` ago, so
data shipped every few seconds still lands in its own second; a cell that arrives after its
point was made is merged into that point exactly (and counted in ``late_intervals``). All
times are epoch seconds from one clock: on several hosts, that clock is NTP's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from .metric import Metric
from .selector import Selector
from .series import IntervalPoint, Series, point_entry
from .sinks import GaugeSink, Sink, TrendSink
from .stats import STORED_PER_UNIT
from .store import MergedView, RequestBucket, Store, TagItems, tag_items

__all__ = ["STREAM_REQUEST_TYPES", "ClosedInterval", "Collector", "IntervalListener"]

#: Called with (interval store, start_s, end_s) each time an interval closes.
IntervalListener = Callable[[Store, float, float], None]

_SERIES_REQUEST_METRICS = ("http_req_duration", "http_reqs", "http_req_failed")

#: ``events.request`` types fired by ``genesis_load.streaming`` (SSE streams, WebSocket
#: messages): Locust's own stats show them, but they are not HTTP requests, so they are kept
#: out of ``http_*`` (their ``sse_*`` / ``ws_*`` metrics carry them) and never distort REST
#: thresholds in a mixed run.
STREAM_REQUEST_TYPES = frozenset({"SSE", "WS"})


def _no_tags(_: Mapping[str, Any]) -> tuple[()]:
    return ()


class _Layout:
    """What one key layout of a tag mapping (its keys, in order) needs on the hot path."""

    __slots__ = ("interval", "lag", "pick", "single")

    def __init__(self, keys: tuple[str, ...]) -> None:
        tag_keys = tuple(k for k in keys if not k.startswith("_"))
        #: The tag values of a mapping with this layout (one key: the bare value).
        self.pick: Callable[[Mapping[str, Any]], Any] = (
            itemgetter(*tag_keys) if tag_keys else _no_tags
        )
        self.single = len(tag_keys) == 1
        self.lag = "_lag_ms" in keys
        self.interval = "_expected_interval_ms" in keys

    def all_str(self, picked: Any) -> bool:
        """Whether picked values are all ``str`` (only then may they key a cache entry)."""
        if self.single:
            return type(picked) is str
        return all(type(v) is str for v in picked)


def _layout_of(keys: tuple[Any, ...]) -> _Layout | None:
    """The layout of these keys, or None when a key is not a ``str`` (no fast path)."""
    if all(type(k) is str for k in keys):
        return _Layout(keys)
    return None


#: The key layout of ``{"name": ...}``, as :meth:`Collector.record` keys it.
_NAME_KEYS = ("name",)


@dataclass
class ClosedInterval:
    """One interval as the series got it: its point, its store and its epoch bounds."""

    point: IntervalPoint
    store: Store
    start_s: float
    end_s: float


class Collector:
    """Receives samples, rolls intervals, answers queries over the whole run so far."""

    def __init__(self, start_s: float, max_points: int = 3600) -> None:
        self.start_s = start_s
        self.end_s = start_s
        self._interval_start_s = start_s
        self._fast: dict[tuple[Any, ...], RequestBucket] = {}
        self._fast_sinks: dict[tuple[Any, ...], Sink] = {}
        #: Key layouts of tag mappings seen (dropped with the caches, so never unbounded).
        self._layouts: dict[tuple[Any, ...], _Layout | None] = {}
        self._current = Store()
        self.cumulative = Store()
        self.series = Series(max_points)
        self.interval_listeners: list[IntervalListener] = []
        #: Closed intervals not shipped yet (a worker): (start_s, end_s, store), epoch s.
        self.outbox: list[tuple[float, float, Store]] = []
        #: The master's grid: interval_s (None: intervals end when ``roll`` is called).
        self.grid_interval_s: float | None = None
        self.grid_lag_s = 0.0
        self._cells: dict[int, Store] = {}
        self._next_cell = 0
        #: Shipped intervals that arrived after their cell was closed (merged in exactly).
        self.late_intervals = 0
        self._last_store = Store()
        #: What is left of closed intervals being merged into ``cumulative`` (see ``_merge``).
        self._merging: list[Store] = []

    @property
    def current(self) -> Store:
        """The open interval's store."""
        return self._current

    @current.setter
    def current(self, store: Store) -> None:
        # every cached bucket and sink belongs to the old store: forget them
        self._current = store
        self._fast = {}
        self._fast_sinks = {}
        self._layouts = {}

    def _layout(self, keys: tuple[Any, ...]) -> _Layout | None:
        layout = self._layouts[keys] = _layout_of(keys)
        return layout

    # -- recording (hot path) --------------------------------------------------------------
    def record_request(
        self,
        method: str,
        name: str,
        status: int | str,
        duration_ms: float,
        failed: bool,
        bytes_received: int = 0,
        context: Mapping[str, Any] | None = None,
        waiting_ms: float | None = None,
        bytes_sent: int | None = None,
    ) -> None:
        """One finished request. ``status`` 0 means no response (a connection error).

        A ``_lag_ms`` context entry (set by open-model users: how late the iteration started
        after its intended time) also records the coordinated-omission-corrected duration,
        ``duration_ms + lag_ms``, as ``http_req_duration_corrected``. For closed-model users with
        a fixed pacing interval, an ``_expected_interval_ms`` entry records it with HdrHistogram's
        ``record_corrected_value`` correction instead (see ``TrendSink.add_corrected``).

        Stream events (``method`` in :data:`STREAM_REQUEST_TYPES`) are ignored here.
        """
        if method in STREAM_REQUEST_TYPES:
            return
        key: tuple[Any, ...]
        lag_ms = interval_ms = None
        layout = None
        if context:
            keys = tuple(context)
            try:
                layout = self._layouts[keys]
            except KeyError:
                layout = self._layout(keys)
            if layout is None:  # a key that is not a str: the canonical key every time
                key = (method, name, status, tag_items(context))
                lag_ms = context.get("_lag_ms")
                interval_ms = context.get("_expected_interval_ms")
            else:
                key = (method, name, status, keys, layout.pick(context))
                if layout.lag:
                    lag_ms = context["_lag_ms"]
                if layout.interval:
                    interval_ms = context["_expected_interval_ms"]
        else:
            key = (method, name, status)
        try:
            bucket = self._fast.get(key)
        except TypeError:  # an unhashable tag value: the canonical key
            key, layout = (method, name, status, tag_items(context)), None
            bucket = self._fast.get(key)
        if bucket is None:
            bucket = self._request_bucket_slow(method, name, status, context, key, layout)
        bucket.duration.add(round(duration_ms * STORED_PER_UNIT))
        if lag_ms is not None:
            if bucket.corrected is None:
                bucket.corrected = TrendSink()
            bucket.corrected.add(round((duration_ms + max(lag_ms, 0.0)) * STORED_PER_UNIT))
        elif interval_ms is not None:
            if bucket.corrected is None:
                bucket.corrected = TrendSink()
            bucket.corrected.add_corrected(
                round(duration_ms * STORED_PER_UNIT), round(interval_ms * STORED_PER_UNIT)
            )
        if failed:
            bucket.failed += 1
        if bytes_received:
            bucket.bytes_received += bytes_received
        if waiting_ms is not None:
            if bucket.waiting is None:
                bucket.waiting = TrendSink()
            bucket.waiting.add(round(waiting_ms * STORED_PER_UNIT))
        if bytes_sent is not None:
            bucket.bytes_sent = (bucket.bytes_sent or 0) + bytes_sent

    def record(
        self,
        metric: Metric,
        value: float,
        tags: Mapping[str, Any] | None = None,
        now_s: float = 0.0,
    ) -> None:
        """One sample of any non-request metric (time trends in ms)."""
        key: tuple[Any, ...]
        if tags:
            keys = tuple(tags)
            try:
                layout = self._layouts[keys]
            except KeyError:
                layout = self._layout(keys)
            if layout is None:
                key = (metric.name, tag_items(tags))
            else:
                key = (metric.name, keys, layout.pick(tags))
        else:
            key = (metric.name,)
            layout = None
        try:
            sink = self._fast_sinks.get(key)
        except TypeError:  # an unhashable tag value: the canonical key
            key = (metric.name, tag_items(tags))
            sink = self._fast_sinks.get(key)
            layout = None
        if sink is None:
            sink = self._sink_slow(metric, tags, key, layout)
        if isinstance(sink, TrendSink):
            sink.add(round(value * STORED_PER_UNIT))
        elif isinstance(sink, GaugeSink):
            sink.add(float(value), now_s)
        else:
            sink.add(value)

    def record_named(self, metric: Metric, value: float, name: str, now_s: float = 0.0) -> None:
        """:meth:`record` with the tags ``{"name": name}`` (header metrics, per response),
        without building the dict: the same cache entry, found by the same key."""
        sink = self._fast_sinks.get((metric.name, _NAME_KEYS, name))
        if sink is None:
            self.record(metric, value, {"name": name}, now_s)
        elif isinstance(sink, TrendSink):
            sink.add(round(value * STORED_PER_UNIT))
        elif isinstance(sink, GaugeSink):
            sink.add(float(value), now_s)
        else:
            sink.add(value)

    def _request_bucket_slow(
        self,
        method: str,
        name: str,
        status: int | str,
        context: Mapping[str, Any] | None,
        key: tuple[Any, ...],
        layout: _Layout | None,
    ) -> RequestBucket:
        """Resolve a request's bucket in the current store; cache it under ``key`` if exact."""
        if layout is not None and not layout.all_str(key[-1]):
            # a tag value that is not a str: keyed by its canonical form (the path before
            # the fast one), since equal values of other types may print differently
            key = (method, name, status, tag_items(context))
            bucket = self._fast.get(key)
            if bucket is not None:
                return bucket
        tags = dict(context) if context else {}
        tags.update(method=method, name=name, status=str(status))
        bucket = self._fast[key] = self._current.request_bucket(tag_items(tags))
        return bucket

    def _sink_slow(
        self,
        metric: Metric,
        tags: Mapping[str, Any] | None,
        key: tuple[Any, ...],
        layout: _Layout | None,
    ) -> Sink:
        """Resolve a sample's sink in the current store; cache it under ``key`` if exact."""
        canonical: TagItems = tag_items(tags)
        sink = self._current.sink(metric, canonical)
        if layout is None or layout.all_str(key[-1]):
            self._fast_sinks[key] = sink
        # else a tag value that is not a str: never cached (1 and True are equal keys but
        # print differently), the store's own look-up every time, as before the fast path
        return sink

    def merge_wire(self, wire: dict[str, Any]) -> None:
        """Add a store shipped by another process (a worker) into the current interval."""
        incoming = Store.from_wire(wire)
        self.current.merge(incoming)

    def drain_wire(self) -> dict[str, Any]:
        """The current interval as wire data, then start a fresh one (a worker's report)."""
        wire = self.current.to_wire()
        self.cumulative.merge(self.current)
        self.current = Store()  # drops the fast-path caches
        return wire

    # -- worker: time-stamped intervals ------------------------------------------------------
    def close_interval(self, now_s: float) -> None:
        """Close the current interval at ``now_s`` into the outbox (a worker's tick)."""
        interval, start_s = self.current, self._interval_start_s
        self.current = Store()  # drops the fast-path caches
        self._interval_start_s = now_s
        self.end_s = max(self.end_s, now_s)
        self.cumulative.merge(interval)
        if interval.requests or interval.sinks:
            self.outbox.append((start_s, now_s, interval))

    def drain_intervals(self) -> list[dict[str, Any]]:
        """The closed intervals not shipped yet, as wire data (then forgotten)."""
        out = [{"start_s": a, "end_s": b, "store": st.to_wire()} for a, b, st in self.outbox]
        self.outbox = []
        return out

    # -- master: the grid ----------------------------------------------------------------------
    def use_grid(self, interval_s: float, lag_s: float) -> None:
        """Bin everything by time into cells of ``interval_s``; close a cell ``lag_s`` late."""
        if not interval_s > 0 or lag_s < 0:
            raise ValueError(f"need interval_s > 0 and lag_s >= 0, got {interval_s}, {lag_s}")
        self.grid_interval_s = interval_s
        self.grid_lag_s = lag_s

    def cell_of(self, start_s: float, end_s: float) -> int:
        """The grid cell of an interval of data: the one holding its midpoint (>= 0)."""
        assert self.grid_interval_s is not None
        mid = (start_s + end_s) / 2 - self.start_s
        return max(0, math.floor(mid / self.grid_interval_s))

    def merge_interval(self, wire: dict[str, Any], start_s: float, end_s: float) -> None:
        """Add a shipped interval (epoch bounds) into the cell of its time, exactly."""
        store = Store.from_wire(wire)
        if self.grid_interval_s is None:  # no grid: the current interval, as before
            self.current.merge(store)
            return
        cell = self.cell_of(start_s, end_s)
        if cell >= self._next_cell:
            self._cells.setdefault(cell, Store()).merge(store)
            return
        # late: its point is made already; merge into it and into the totals, exactly
        self.late_intervals += 1
        self.cumulative.merge(store)
        iv = self.grid_interval_s
        self.series.merge_at(self._point(store, cell * iv, (cell + 1) * iv, None))

    def advance(
        self, now_s: float, pause: Callable[[], object] | None = None, flush: bool = False
    ) -> list[ClosedInterval]:
        """The ticker's call: close what is due and return the intervals closed, in order.

        Without a grid this is :meth:`roll`. On the grid, this process's own current interval
        goes to its cell, then every cell that ended at least ``lag_s`` before ``now_s`` (all
        of them with ``flush``, at the end of the run) becomes a point; the last one ends at
        ``now_s`` when the run ends inside it.
        """
        if self.grid_interval_s is None:
            start_s = self._interval_start_s
            return [ClosedInterval(self.roll(now_s, pause), self._last_store, start_s, now_s)]
        iv = self.grid_interval_s
        local, start_s = self.current, self._interval_start_s
        self.current = Store()  # drops the fast-path caches
        self._interval_start_s = now_s
        self.end_s = max(self.end_s, now_s)
        if local.requests or local.sinks:
            self._cells.setdefault(self.cell_of(start_s, now_s), Store()).merge(local)
        # the last cell the run reached: the one holding the instant just before now_s
        last = max(self._cells, default=-1)
        last = max(last, math.ceil((now_s - self.start_s) / iv) - 1)
        closed: list[ClosedInterval] = []
        while True:
            cell = self._next_cell
            cell_end = self.start_s + (cell + 1) * iv
            due = cell <= last if flush else cell_end <= now_s - self.grid_lag_s
            if not due:
                break
            store = self._cells.pop(cell, None) or Store()
            self._next_cell += 1
            a, b = self.start_s + cell * iv, min(cell_end, max(now_s, self.start_s + cell * iv))
            self._merge(store, pause)
            point = self._point(store, a - self.start_s, b - self.start_s, pause)
            self.series.append(point)
            for listener in self.interval_listeners:
                listener(store, a, b)
            closed.append(ClosedInterval(point, store, a, b))
        return closed

    # -- time ------------------------------------------------------------------------------
    def roll(self, now_s: float, pause: Callable[[], object] | None = None) -> IntervalPoint:
        """Close the current interval at ``now_s`` and append it to the series.

        Summarising an interval takes about a millisecond per series key; ``pause`` is called
        between keys so a cooperative caller (gevent) can let due work run meanwhile instead
        of stalling schedules for the whole roll.
        """
        interval, start_s = self.current, self._interval_start_s
        self.current = Store()  # drops the fast-path caches
        self._interval_start_s = now_s
        self.end_s = max(self.end_s, now_s)
        self._last_store = interval
        self._merge(interval, pause)
        point = self._point(interval, start_s - self.start_s, now_s - self.start_s, pause)
        self.series.append(point)
        for listener in self.interval_listeners:
            listener(interval, start_s, now_s)
        return point

    def _merge(self, closed: Store, pause: Callable[[], object] | None) -> None:
        """Merge a closed interval into ``cumulative``, pausing between tag sets.

        Until a tag set is in ``cumulative`` it stays in a remainder that :meth:`live` and
        :meth:`live_view` read too, so an abort check during the merge sees every sample once.
        """
        rest = closed.shallow_copy()
        self._merging.append(rest)
        try:
            self.cumulative.merge(rest, pause=pause, consume=True)
        finally:
            self._merging.remove(rest)

    def _point(
        self,
        interval: Store,
        start_s: float,
        end_s: float,
        pause: Callable[[], object] | None,
    ) -> IntervalPoint:
        """The series point of one interval's store (bounds in seconds since the start)."""
        point = IntervalPoint(start_s, end_s)
        duration_s = point.duration_s
        keys: list[Selector] = [Selector(m) for m in _SERIES_REQUEST_METRICS]
        keys.append(Selector("http_req_duration_corrected"))
        for status in interval.tag_values("http_reqs", "status"):
            if status.isdigit() and (int(status) == 0 or int(status) >= 400):
                keys.append(Selector("http_reqs", (("status", status),)))
        for name in interval.tag_values("http_req_duration", "name"):
            keys += [Selector(m, (("name", name),)) for m in _SERIES_REQUEST_METRICS]
        keys += [Selector(m) for m in sorted(interval.metrics)]
        for selector in keys:
            sink = interval.query(selector)
            if sink is not None:
                point.entries[str(selector)] = point_entry(sink, duration_s)
                if pause is not None:
                    pause()
        return point

    @property
    def duration_s(self) -> float:
        return max(self.end_s - self.start_s, 0.0)

    # -- queries ---------------------------------------------------------------------------
    def live(self) -> Store:
        """Cumulative plus the open interval, as a new store (for checks during the run)."""
        snapshot = Store()
        snapshot.merge(self.cumulative)
        for rest in self._merging:
            snapshot.merge(rest)
        snapshot.merge(self.current)
        for cell in self._cells.values():
            snapshot.merge(cell)
        return snapshot

    def live_view(self) -> MergedView:
        """What :meth:`live` holds, without the copy: each query merges only what it matches.

        The threshold watcher's input: an abort check reads a few selectors, so it no longer
        pays for a merged copy of every series (a histogram each) every evaluation.
        """
        return MergedView([self.cumulative, *self._merging, self._current, *self._cells.values()])

    def query(self, selector: Selector) -> Sink | None:
        """A selector over the closed intervals (call ``roll`` first for everything)."""
        return self.cumulative.query(selector)
