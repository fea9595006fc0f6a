"""The JSON results document: every aggregate, sub-metric and series point of one run.

Owns the document's layout (``format``/``version`` so readers can refuse foreign files) and
writing it atomically (a temporary file in the same folder, then ``os.replace``), so a reader
never sees half a file, even when the run is interrupted.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ResultsError
from ..metrics.collector import Collector
from ..metrics.hdr import encode_histogram
from ..metrics.selector import Selector
from ..metrics.sinks import RateSink, TrendSink
from ..metrics.stats import DEFAULT_TREND_STATS, sink_values
from ..metrics.store import Store

__all__ = [
    "RESULTS_FORMAT",
    "RESULTS_VERSION",
    "build_results",
    "check_writable",
    "load_results",
    "request_rows",
    "write_json_atomic",
]

RESULTS_FORMAT = "genesis-load-results"
RESULTS_VERSION = 1


def check_writable(path: str, option: str) -> Path:
    """Fail before the run if ``path`` cannot be written (names the option and the reason)."""
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ConfigError(f"{option} {path!r}: is a directory, expected a file path")
    if not parent.is_dir():
        raise ConfigError(f"{option} {path!r}: folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise ConfigError(f"{option} {path!r}: folder {str(parent)!r} is not writable")
    return target


def write_json_atomic(path: str | Path, document: Mapping[str, Any]) -> None:
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; results are ordinary files
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=1, sort_keys=False, allow_nan=False)
            f.write("\n")
        os.replace(tmp, target)
    except OSError as e:
        raise ResultsError(f"cannot write results to {str(target)!r}: {e}") from e


def load_results(path: str | Path) -> dict[str, Any]:
    """Read a results document, refusing foreign or newer formats with a clear message."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ResultsError(f"{str(path)!r} is not a readable results file: {e}") from e
    if not isinstance(doc, dict) or doc.get("format") != RESULTS_FORMAT:
        raise ResultsError(f"{str(path)!r} is not a genesis-load results file")
    if doc.get("version") != RESULTS_VERSION:
        raise ResultsError(
            f"{str(path)!r} has results format version {doc.get('version')!r}; "
            f"this genesis-load reads version {RESULTS_VERSION}"
        )
    return doc


def _finite(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not isinstance(v, float) or v == v}


def metric_entries(
    store: Store,
    duration_s: float,
    trend_stats: tuple[str, ...],
    submetrics: Iterable[Selector] = (),
) -> dict[str, dict[str, Any]]:
    """k6-style ``metrics`` map: each metric with data, then the requested sub-metrics."""
    out: dict[str, dict[str, Any]] = {}
    selectors = [Selector(n) for n in store.metric_names()] + list(submetrics)
    for selector in selectors:
        sink = store.query(selector)
        metric = store.metric(selector.metric)
        if sink is None or metric is None:
            continue
        out[str(selector)] = {
            "type": metric.kind,
            "contains": metric.contains,
            "values": _finite(sink_values(sink, trend_stats, duration_s)),
        }
    return out


def request_rows(
    store: Store, duration_s: float, trend_stats: tuple[str, ...]
) -> list[dict[str, Any]]:
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
            {
                "name": name,
                "methods": methods,
                "count": count,
                "failed": failed.trues,
                "rps": count / duration_s if duration_s > 0 else 0.0,
                "duration_ms": values,
            }
        )
    return rows


def _histograms(store: Store) -> dict[str, str]:
    """The whole run's HDR histograms of the request trends, base64 (HdrHistogram V2 format).

    Readers decode them with any HdrHistogram library, e.g. for a percentile spectrum."""
    out = {}
    for name in ("http_req_duration", "http_req_duration_corrected"):
        sink = store.query(Selector(name))
        if isinstance(sink, TrendSink) and sink.hist.get_total_count():
            out[name] = encode_histogram(sink.hist)
    return out


def build_results(
    collector: Collector,
    meta: Mapping[str, Any],
    trend_stats: tuple[str, ...] = DEFAULT_TREND_STATS,
    submetrics: Iterable[Selector] = (),
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole document for a collector whose intervals are rolled."""
    store, duration_s = collector.cumulative, collector.duration_s
    doc: dict[str, Any] = {
        "format": RESULTS_FORMAT,
        "version": RESULTS_VERSION,
        "meta": dict(meta),
        "metrics": metric_entries(store, duration_s, trend_stats, submetrics),
        "requests": request_rows(store, duration_s, trend_stats),
        "histograms": _histograms(store),
        "series": {
            "max_points": collector.series.max_points,
            "coalesced": collector.series.coalesced,
            "points": [p.to_json() for p in collector.series.points],
        },
    }
    if extra:
        doc.update(extra)
    return doc
