"""``Result``: one run's typed results as a library caller reads them.

Owns the read side of :func:`genesis_load.run`: a thin, immutable view over a
:class:`~genesis_load.results.Results` (the same document ``--out json=`` writes), with the
questions a test asks as methods. Pure: no Locust, no files (``Result.read(path)`` reads a
results file through :mod:`genesis_load.results.io`)::

    result = genesis_load.run(Api, rate=50, duration="10s")
    assert result.passed, result.failed_thresholds
    assert result.metric("http_req_duration").p(95) < 200        # ms
    assert result.metric("http_req_duration{name:/health}").count > 0
    assert result.metric("http_req_failed").rate < 0.01
    assert result.checks["status is 200"] == 1.0

``p(q)`` is exact for any ``q`` on a whole-run trend: a stat not among the run's trend stats is
read from the run's HDR histogram (microseconds, reported in ms).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..metrics.hdr import decode_histogram, percentiles
from ..metrics.stats import STORED_PER_UNIT
from ..results.io import read_results
from ..results.schema import Meta, MetricEntry, RequestRow, Results, SeriesPoint, ThresholdVerdict

__all__ = ["MetricView", "Result"]

_CHECK_KEY = re.compile(r"^checks\{check:(?P<name>.*)\}$")


def _stat_key(q: float) -> str:
    return f"p({q:g})"


@dataclass(frozen=True)
class MetricView:
    """One metric (or sub-metric) over the whole run; times in ms, as in the results file."""

    name: str
    entry: MetricEntry
    #: The whole-run HDR histogram (base64, µs) when the results carry one for this metric.
    histogram: str | None = None

    @property
    def type(self) -> str:
        return self.entry.type

    @property
    def values(self) -> Mapping[str, float]:
        return self.entry.values

    def __getitem__(self, stat: str) -> float:
        """A stat by its k6 name: ``avg``, ``p(95)``, ``rate``, ``count``, ``value``..."""
        try:
            return self.entry.values[stat]
        except KeyError:
            pct = re.fullmatch(r"p\((\d+(?:\.\d+)?)\)", stat)
            if pct is not None and self.histogram is not None:
                return self.p(float(pct.group(1)))
            raise KeyError(
                f"{self.name} has no stat {stat!r} (has: {', '.join(self.entry.values)})"
            ) from None

    def p(self, q: float) -> float:
        """The ``q``-th percentile (0-100), exact from the HDR histogram when not precomputed."""
        if not 0 <= q <= 100:
            raise ValueError(f"percentile must be within 0..100, got {q}")
        key = _stat_key(q)
        if key in self.entry.values:
            return self.entry.values[key]
        if self.histogram is None:
            raise KeyError(
                f"{self.name}: {key} was not computed and the results carry no histogram for "
                f"it (has: {', '.join(self.entry.values)}); pass trend_stats to run()"
            )
        # the engine's definition (TrendSink.percentiles): p(0)/p(100) are the exact min/max,
        # and no percentile exceeds the exact max
        values = self.entry.values
        if q >= 100 and "max" in values:
            return values["max"]
        if q <= 0 and "min" in values:
            return values["min"]
        found = percentiles(decode_histogram(self.histogram), [q])[q] / STORED_PER_UNIT
        return min(found, values.get("max", found))

    @property
    def avg(self) -> float:
        return self["avg"]

    @property
    def med(self) -> float:
        return self["med"]

    @property
    def min(self) -> float:
        return self["min"]

    @property
    def max(self) -> float:
        return self["max"]

    @property
    def count(self) -> float:
        """Samples (trend), increments (counter) or judged samples (rate)."""
        values = self.entry.values
        for key in ("count", "passes"):
            if key in values:
                return values[key] + (values.get("fails", 0.0) if key == "passes" else 0.0)
        return self["count"]

    @property
    def rate(self) -> float:
        """The share of true samples (rate) or per second (counter)."""
        return self["rate"]

    @property
    def value(self) -> float:
        """A gauge's last value."""
        return self["value"]


@dataclass(frozen=True)
class Result:
    """What :func:`genesis_load.run` returns: one run's results and its verdict."""

    results: Results
    #: Problems the run reported (outputs that failed to write...), also in ``meta.warnings``.
    output_errors: tuple[str, ...] = ()
    _views: dict[str, MetricView] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def read(cls, path: str) -> Result:
        """A Result over a results file written by ``--out json=PATH``."""
        return cls(read_results(path))

    # -- metrics -----------------------------------------------------------------------------
    def metric(self, name: str) -> MetricView:
        """A metric or a sub-metric by its key: ``http_req_duration``,
        ``http_req_duration{name:/health}``. KeyError names the metrics the run has."""
        view = self._views.get(name)
        if view is not None:
            return view
        entry = self.results.metrics.get(name)
        if entry is None:
            raise KeyError(
                f"the run has no metric {name!r}; it has: {', '.join(sorted(self.results.metrics))}"
                " (a sub-metric needs submetrics=[...] in run(), or a threshold on it)"
            )
        view = MetricView(name, entry, self.results.histograms.get(name))
        self._views[name] = view
        return view

    @property
    def metrics(self) -> Mapping[str, MetricEntry]:
        return self.results.metrics

    @property
    def requests(self) -> list[RequestRow]:
        """One row per request name."""
        return self.results.requests

    @property
    def series(self) -> list[SeriesPoint]:
        """The per-interval series (run-relative seconds, per-key numbers)."""
        return self.results.series.points

    # -- checks and thresholds ---------------------------------------------------------------
    @property
    def checks(self) -> dict[str, float]:
        """Each check's pass share (``check(r, {"name": ...})``), by check name."""
        out = {}
        for key, entry in self.results.metrics.items():
            m = _CHECK_KEY.match(key)
            if m is not None and "rate" in entry.values:
                out[m.group("name")] = entry.values["rate"]
        return out

    @property
    def thresholds(self) -> list[ThresholdVerdict]:
        return self.results.thresholds

    @property
    def failed_thresholds(self) -> list[ThresholdVerdict]:
        return [t for t in self.results.thresholds if not t.ok]

    # -- how it went -------------------------------------------------------------------------
    @property
    def meta(self) -> Meta:
        return self.results.meta

    @property
    def ended(self) -> str:
        """``completed``, ``interrupted`` or ``aborted`` (``meta.ended``)."""
        return self.results.meta.ended

    @property
    def passed(self) -> bool:
        """The run completed as planned, every threshold passed, every output was written."""
        verdict = self.results.verdict
        thresholds_ok = verdict is None or verdict.thresholds_ok
        return self.ended == "completed" and thresholds_ok and not self.output_errors

    @property
    def exit_code(self) -> int:
        """The exit code ``genesis-load``/``locust`` would give this run (errors.py)."""
        from ..errors import (
            EXIT_ABORTED,
            EXIT_INTERRUPTED,
            EXIT_RESULTS_NOT_WRITTEN,
            EXIT_THRESHOLDS_FAILED,
        )

        if self.ended == "aborted":
            return EXIT_ABORTED
        if self.ended == "interrupted":
            return EXIT_INTERRUPTED
        if self.output_errors:
            return EXIT_RESULTS_NOT_WRITTEN
        verdict = self.results.verdict
        return 0 if verdict is None or verdict.thresholds_ok else EXIT_THRESHOLDS_FAILED

    def summary(self) -> dict[str, Any]:
        """A few headline figures, for a log line or an assertion message."""
        out: dict[str, Any] = {"ended": self.ended, "passed": self.passed}
        for name, stat in (
            ("http_reqs", "count"),
            ("http_req_duration", "p(95)"),
            ("http_req_failed", "rate"),
        ):
            entry = self.results.metrics.get(name)
            if entry is not None and stat in entry.values:
                out[f"{name} {stat}"] = entry.values[stat]
        return out
