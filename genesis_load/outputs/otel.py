"""``--out otel=URL``: genesis-load's metrics pushed to an OpenTelemetry collector (OTLP/HTTP).

Owns exporting the run's exact aggregates with the OpenTelemetry SDK (the optional ``otel``
extra): at every closed interval and at the end, the cumulative figures are read by
observable instruments and pushed as one OTLP export to ``URL/v1/metrics`` (``URL`` is the
collector's OTLP/HTTP base, default ``http://127.0.0.1:4318``; a URL with a path is used as is).

Instruments (cumulative; attributes are the request's or sample's tags):

* ``genesis_load.http_reqs``, ``genesis_load.http_req_failed``, ``genesis_load.data_received``
  (bytes): counters per request tag set;
* ``genesis_load.<counter>``; ``genesis_load.<rate>.trues`` and ``.samples``;
  ``genesis_load.<gauge>``: every other metric, custom ones included;
* ``genesis_load.trend_quantile`` (gauge, attributes ``metric``, ``name``, ``quantile``): the exact
  HDR percentiles of every trend (ms for time trends), as the Prometheus output's;
* ``genesis_load.threshold_ok`` (gauge, 1/0, attributes ``metric``, ``expression``) at the end.

The SDK is imported only when the output is built (after Locust, so after gevent's patching:
its HTTP exporter imports ssl). A missing extra is a configuration error (104) before load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlparse

from .._extras import require
from ..errors import ConfigError, ResultsError
from ..metrics.sinks import CounterSink, GaugeSink, RateSink
from ..metrics.store import Store
from ..results.schema import Results
from .base import IntervalSample, Output
from .quantiles import trend_quantiles

__all__ = ["OtelOutput"]

log = logging.getLogger("genesis_load")

#: OTLP/HTTP's default port on this machine, when ``--out otel`` has no URL.
DEFAULT_URL = "http://127.0.0.1:4318"
#: The SDK's own schedule is never used: every export is forced at an interval's end.
_NEVER_MS = 10**9


def _endpoint(arg: str) -> str:
    shown = f"--out otel={arg}"
    arg = arg or DEFAULT_URL
    url = urlparse(arg)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise ConfigError(f"{shown}: expected the collector's OTLP/HTTP URL, e.g. http://HOST:4318")
    return arg if url.path not in ("", "/") else arg.rstrip("/") + "/v1/metrics"


class OtelOutput(Output):
    """Pushes the run's metrics over OTLP/HTTP (see the module docstring)."""

    def __init__(self, arg: str = "") -> None:
        self.endpoint = _endpoint(arg)
        require("otel", f"--out otel={arg}")
        self.store = Store()
        self._results: Results | None = None
        self._provider: Any = None

    def start(self, start_s: float) -> None:
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
        from opentelemetry.sdk.resources import Resource

        self.store = Store()
        self._results = None
        self._close()
        reader = PeriodicExportingMetricReader(
            OTLPMetricExporter(endpoint=self.endpoint, timeout=5),
            export_interval_millis=_NEVER_MS,
        )
        self._provider = MeterProvider(
            metric_readers=[reader], resource=Resource.create({"service.name": "genesis-load"})
        )
        meter = self._provider.get_meter("genesis_load")
        for name, kind, unit, callback in self._instruments():
            make = (
                meter.create_observable_counter
                if kind == "counter"
                else (meter.create_observable_gauge)
            )
            make(name, callbacks=[callback], unit=unit)

    def interval(self, sample: IntervalSample) -> None:
        self.store.merge(sample.store)
        self._flush()

    def stop(self, results: Results) -> None:
        self._results = results
        self._flush()
        self._close()

    def _flush(self) -> None:
        if self._provider is not None and not self._provider.force_flush(10_000):
            raise ResultsError(f"--out otel: could not export to {self.endpoint}")

    def _close(self) -> None:
        provider, self._provider = self._provider, None
        if provider is not None:
            provider.shutdown()

    # -- what is observed ----------------------------------------------------------------------
    def _instruments(self) -> Iterator[tuple[str, str, str, Any]]:
        yield "genesis_load.http_reqs", "counter", "1", self._requests("count")
        yield "genesis_load.http_req_failed", "counter", "1", self._requests("failed")
        yield "genesis_load.data_received", "counter", "By", self._requests("bytes_received")
        yield "genesis_load.trend_quantile", "gauge", "1", self._quantiles
        yield "genesis_load.threshold_ok", "gauge", "1", self._thresholds
        # metrics recorded as samples: one instrument per kind, the metric's name an attribute
        yield "genesis_load.counter", "counter", "1", self._samples("counter")
        yield "genesis_load.rate.trues", "counter", "1", self._samples("rate", "trues")
        yield "genesis_load.rate.samples", "counter", "1", self._samples("rate", "total")
        yield "genesis_load.gauge", "gauge", "1", self._samples("gauge")

    def _requests(self, field: str) -> Any:
        from opentelemetry.metrics import Observation

        def observe(_options: Any) -> Iterable[Any]:
            for bucket in list(self.store.requests.values()):
                yield Observation(getattr(bucket, field), dict(bucket.tags))

        return observe

    def _samples(self, kind: str, field: str = "value") -> Any:
        from opentelemetry.metrics import Observation

        def observe(_options: Any) -> Iterable[Any]:
            for (name, tags), sink in list(self.store.sinks.items()):
                if self.store.metrics[name].kind != kind:
                    continue
                assert isinstance(sink, CounterSink | RateSink | GaugeSink)
                yield Observation(getattr(sink, field), {"metric": name, **dict(tags)})

        return observe

    def _quantiles(self, _options: Any) -> Iterable[Any]:
        from opentelemetry.metrics import Observation

        for metric_name, request_name, q, value in trend_quantiles(self.store):
            yield Observation(
                value, {"metric": metric_name, "name": request_name, "quantile": q / 100}
            )

    def _thresholds(self, _options: Any) -> Iterable[Any]:
        from opentelemetry.metrics import Observation

        results = self._results
        for t in results.thresholds if results is not None else ():
            yield Observation(1 if t.ok else 0, {"metric": t.metric, "expression": t.expression})
