"""The trend quantiles the live outputs (Prometheus, OpenTelemetry) publish.

Owns which percentiles are published and which series they cover: every trend over all its
samples (request name ``""``) and, for ``http_req_duration``, each request name too. Exact, from
the store's HDR histograms; values in milliseconds for time trends.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..metrics.selector import Selector
from ..metrics.sinks import TrendSink
from ..metrics.stats import STORED_PER_UNIT
from ..metrics.store import Store

__all__ = ["QUANTILES", "trend_quantiles"]

QUANTILES: tuple[float, ...] = (50.0, 90.0, 95.0, 99.0, 99.9)


def trend_quantiles(store: Store) -> Iterator[tuple[str, str, float, float]]:
    """``(metric, request name or "", percentile, value)`` of every trend with samples."""
    for metric_name in store.metric_names():
        metric = store.metric(metric_name)
        if metric is None or metric.kind != "trend":
            continue
        names = [""]
        if metric_name == "http_req_duration":
            names += store.tag_values(metric_name, "name")
        for request_name in names:
            tags = (("name", request_name),) if request_name else ()
            sink = store.query(Selector(metric_name, tags))
            if not isinstance(sink, TrendSink) or not sink.count:
                continue
            found = sink.percentiles(list(QUANTILES))
            for q in QUANTILES:
                yield metric_name, request_name, q, found[q] / STORED_PER_UNIT
