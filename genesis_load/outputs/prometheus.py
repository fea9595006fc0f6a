"""``--out prometheus=ADDR``: genesis-load's metrics on a Prometheus endpoint during the run.

Owns serving the run's exact aggregates in Prometheus' text format, built with prometheus_client,
on the process that owns the results (the master, or the only process). Every closed interval is
merged into a cumulative store (exactly: HDR histograms add), and each scrape renders it:

Families (labels: the tags of the request or sample, unless said otherwise):

* ``genesis_load_http_reqs_total``, ``genesis_load_http_req_failed_total``,
  ``genesis_load_data_received_bytes_total`` (and ``_sent_``): counters per request tag set
  (method, name, status, scenario...);
* ``genesis_load_http_req_duration_seconds`` (also ``_waiting_`` and ``_duration_corrected_``):
  histograms, bucket counts exact from the HDR histogram;
* ``genesis_load_<counter>_total``; ``genesis_load_<rate>_trues_total``, ``_samples_total`` and
  ``_ratio``; ``genesis_load_<gauge>`` (``vus``, ``vus_max``); ``genesis_load_<trend>_seconds``
  (time trends, histograms): every other metric, custom ones included;
* ``genesis_load_trend_quantile{metric, name, quantile}``: exact percentiles (below);
* ``genesis_load_threshold_live_ok`` (1/0) and ``genesis_load_threshold_live_observed``
  ``{metric, expression}`` during the run: each run-wide threshold judged over the run so far
  (stage- and window-scoped ones only at the end);
* ``genesis_load_threshold_ok{metric, expression}`` (1/0) and ``genesis_load_run_ended{ended}``
  once the run ended, ``genesis_load_run_elapsed_seconds`` during it.

``genesis_load_trend_quantile`` holds the exact HDR percentiles (p50, p90, p95, p99, p99.9) in
the trend's unit (ms for time trends, as in the summary), which a Prometheus histogram's
``histogram_quantile`` only approximates from its buckets. A family's label set is the union of
its tag keys (a missing tag is ``""``); tag keys are made valid label names.

ARG: ``HOST:PORT`` (default ``127.0.0.1:9646``; ``:PORT`` binds 127.0.0.1), then options
``,linger=DURATION`` (keep serving that long after the run so the last scrape sees the final
figures; default 0). A port in use is a configuration error (104) before any load.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import ConfigError, ResultsError
from ..metrics.store import Store
from ..pacing import parse_duration_s
from ..results.schema import Results
from ..thresholds.spec import Threshold
from .base import IntervalSample, Output

__all__ = ["PrometheusOutput", "parse_address"]

log = logging.getLogger("genesis_load")

DEFAULT_ADDRESS = ("127.0.0.1", 9646)


def parse_address(arg: str) -> tuple[tuple[str, int], float]:
    """``HOST:PORT[,linger=DURATION]`` -> ((host, port), linger_s); ConfigError if invalid."""
    shown = f"--out prometheus={arg}"
    address, *options = [p.strip() for p in arg.split(",")] if arg else [""]
    host, port = DEFAULT_ADDRESS
    if address:
        h, sep, p = address.rpartition(":")
        if not sep:
            h, p = "", address
        host = h or host
        try:
            port = int(p)
        except ValueError:
            raise ConfigError(f"{shown}: {p!r} is not a port (expected HOST:PORT)") from None
        if not 0 <= port <= 65535:
            raise ConfigError(f"{shown}: port {port} is out of range")
    linger_s = 0.0
    for option in options:
        key, _, value = option.partition("=")
        if key != "linger":
            raise ConfigError(f"{shown}: unknown option {key!r} (known: linger=DURATION)")
        linger_s = parse_duration_s(value, f"{shown} linger")
    return (host, port), linger_s


def _check_free(host: str, port: int, shown: str) -> None:
    if port == 0:
        return
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        probe.bind((host, port))
    except OSError as e:
        raise ConfigError(f"{shown}: cannot listen on {host}:{port} ({e.strerror})") from None
    finally:
        probe.close()


class PrometheusOutput(Output):
    """Serves the run's metrics for Prometheus to scrape (see the module docstring)."""

    def __init__(self, arg: str = "") -> None:
        self.shown = f"--out prometheus={arg}" if arg else "--out prometheus"
        (self.host, self.port), self.linger_s = parse_address(arg)
        _check_free(self.host, self.port, self.shown)
        self.store = Store()
        # prometheus_client imports ssl: loaded here, after Locust has let gevent patch it
        from prometheus_client import CollectorRegistry

        from .prometheus_families import RunCollector

        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(RunCollector(self.store_now, self.run_families))
        self._server: Any = None
        self._thread: Any = None
        self._start_s = 0.0
        self._last_end_s = 0.0
        self._results: Results | None = None
        self._thresholds: list[Any] = []

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/metrics"

    def use_thresholds(self, thresholds: Sequence[Threshold]) -> None:
        # run-wide ones only: stage- and window-scoped thresholds need the engine's
        # per-interval state and are left to the final verdicts
        self._thresholds = [t for t in thresholds if t.stage is None and t.window_s is None]

    def start(self, start_s: float) -> None:
        self.store = Store()
        self._results = None
        self._start_s = self._last_end_s = start_s
        if self._server is not None:
            return
        from prometheus_client import start_http_server

        try:
            self._server, self._thread = start_http_server(
                self.port, addr=self.host, registry=self.registry
            )
        except OSError as e:
            raise ResultsError(f"{self.shown}: cannot listen ({e})") from None
        self.port = int(self._server.server_address[1])
        log.info("genesis-load: Prometheus metrics on %s", self.url)

    def interval(self, sample: IntervalSample) -> None:
        self.store.merge(sample.store)
        self._last_end_s = sample.end_s

    def stop(self, results: Results) -> None:
        self._results = results
        if self._server is None:
            return
        if self.linger_s > 0:
            with contextlib.suppress(Exception):
                _sleep(self.linger_s)
        self.close()

    def close(self) -> None:
        """Stop serving (at the run's end, after the linger)."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def store_now(self) -> Store:
        return self.store

    def run_families(self) -> Iterable[Any]:
        from prometheus_client.core import GaugeMetricFamily

        elapsed = GaugeMetricFamily(
            "genesis_load_run_elapsed_seconds", "seconds from the run's start to the last interval"
        )
        elapsed.add_metric([], max(0.0, self._last_end_s - self._start_s))
        yield elapsed
        yield from self._live_thresholds()
        results = self._results
        if results is None:
            return
        ended = GaugeMetricFamily(
            "genesis_load_run_ended", "1 once the run ended, labelled how", labels=["ended"]
        )
        ended.add_metric([results.meta.ended], 1)
        yield ended
        ok = GaugeMetricFamily(
            "genesis_load_threshold_ok", "1 passed, 0 failed", labels=["metric", "expression"]
        )
        for t in results.thresholds:
            ok.add_metric([t.metric, t.expression], 1.0 if t.ok else 0.0)
        yield ok

    def _live_thresholds(self) -> Iterable[Any]:
        """Each threshold judged now over the run so far (not stage- or window-scoped ones)."""
        from prometheus_client.core import GaugeMetricFamily

        from ..thresholds import evaluate

        if self._results is not None or not self._thresholds:
            return
        elapsed_s = max(self._last_end_s - self._start_s, 1e-9)
        ok = GaugeMetricFamily(
            "genesis_load_threshold_live_ok",
            "1 passing, 0 failing, judged over the run so far (absent: no data yet)",
            labels=["metric", "expression"],
        )
        observed = GaugeMetricFamily(
            "genesis_load_threshold_live_observed",
            "the value each threshold is judged on, over the run so far",
            labels=["metric", "expression"],
        )
        for t in self._thresholds:
            r = evaluate(t, self.store, elapsed_s)
            if r.observed is None:
                continue
            labels = [str(t.selector), t.expression.text]
            ok.add_metric(labels, 1.0 if r.ok else 0.0)
            observed.add_metric(labels, float(r.observed))
        yield from (ok, observed)


def _sleep(seconds: float) -> None:
    """gevent's sleep when Locust runs (it always does here), else time's."""
    try:
        import gevent
    except ImportError:  # pragma: no cover
        time.sleep(seconds)
    else:
        gevent.sleep(seconds)
