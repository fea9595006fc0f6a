"""Judging thresholds over a store: the observed value, pass or fail, and when to abort.

Owns evaluation only: it reads stores (a snapshot of exact aggregates) and never touches
Locust or a clock; callers pass run-relative seconds, so tests drive it on a fake clock.

Semantics:

- A threshold is judged on all data its selector matches (``stage``/``window`` thresholds: only
  the intervals inside their scope).
- **No data is a failure at the end** (observed ``None``): a threshold on a sub-metric that never
  received a sample proves nothing, so it cannot pass (k6 lets such thresholds pass). During the
  run, no data never aborts. Counters are the exception: a counter nothing incremented is 0
  (``dropped_iterations: count<1`` passes on a run that dropped nothing).
- ``abortOnFail`` (k6): at a periodic evaluation after ``delayAbortEval``, a failing threshold
  stops the run. ``abortWhenFailingFor`` (beyond k6): abort only when the expression has failed on
  the data of *every* interval for that long (a sustained breach, not one bad second).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..metrics.metric import declared_metrics
from ..metrics.sinks import CounterSink, GaugeSink, RateSink, Sink, TrendSink
from ..metrics.stats import trend_values
from ..metrics.store import Queryable, Store
from .parser import Expression
from .spec import Threshold

__all__ = ["ThresholdEngine", "ThresholdResult", "evaluate", "observed_value"]


@dataclass(frozen=True)
class ThresholdResult:
    threshold: Threshold
    observed: float | None
    ok: bool
    aborted: bool = False

    def to_json(self) -> dict[str, Any]:
        t = self.threshold
        out: dict[str, Any] = {
            "metric": str(t.selector),
            "expression": t.expression.text,
            "ok": self.ok,
            "observed": self.observed,
            "abort_on_fail": t.abort_on_fail,
            "aborted_run": self.aborted,
        }
        if t.stage:
            out["stage"] = t.stage
        if t.window_s:
            out["window_s"] = list(t.window_s)
        if t.source:
            out["source"] = t.source
        return out


def observed_value(sink: Sink | None, expression: Expression, duration_s: float) -> float | None:
    """The aggregate the expression compares (trend times in ms); None when there is no data."""
    if sink is None:
        return None
    agg = expression.aggregation
    if isinstance(sink, TrendSink):
        if sink.count == 0:
            return None
        if agg == "count":
            return float(sink.count)
        return trend_values(sink, (expression.stat,))[expression.stat]
    if isinstance(sink, RateSink):
        return sink.rate if sink.total else None
    if isinstance(sink, CounterSink):
        if agg == "count":
            return sink.value
        return sink.value / duration_s if duration_s > 0 else None
    assert isinstance(sink, GaugeSink)
    if not sink.count:
        return None
    return {"value": sink.value, "min": sink.min, "max": sink.max}[agg]


def evaluate(threshold: Threshold, store: Queryable, duration_s: float) -> ThresholdResult:
    sink = store.query(threshold.selector)
    if sink is None:
        name = threshold.selector.metric
        metric = store.metric(name) or declared_metrics().get(name)
        if metric is not None and metric.kind == "counter":
            sink = CounterSink()  # a counter nothing incremented is 0, not "no data"
    observed = observed_value(sink, threshold.expression, duration_s)
    ok = observed is not None and threshold.expression.holds(observed)
    return ThresholdResult(threshold, observed, ok)


class ThresholdEngine:
    """Evaluates a set of thresholds during a run (for aborts) and at its end."""

    def __init__(
        self,
        thresholds: Iterable[Threshold],
        stage_windows: Mapping[str, tuple[float, float]] | None = None,
    ) -> None:
        self.thresholds = list(thresholds)
        windows = dict(stage_windows or {})
        problems = []
        self._windows: dict[int, tuple[float, float]] = {}
        for i, t in enumerate(self.thresholds):
            if t.stage is not None:
                if t.stage not in windows:
                    known = ", ".join(sorted(windows)) or "none: the run has no named stages"
                    problems.append(
                        f"{t.source or 'threshold'} {t.key!r}: unknown stage {t.stage!r} "
                        f"(stages: {known})"
                    )
                    continue
                self._windows[i] = windows[t.stage]
            elif t.window_s is not None:
                self._windows[i] = t.window_s
        if problems:
            raise ConfigError(problems)
        self._scoped: dict[int, Store] = {i: Store() for i in self._windows}
        self._scoped_duration: dict[int, float] = dict.fromkeys(self._windows, 0.0)
        self._failing_since: dict[int, float | None] = {}
        self._last_end_s = 0.0
        self.abort: ThresholdResult | None = None

    def on_interval(self, interval: Store, start_s: float, end_s: float) -> None:
        """Feed one closed interval (run-relative seconds)."""
        self._last_end_s = end_s
        mid = (start_s + end_s) / 2
        for i, (w_start, w_end) in self._windows.items():
            if w_start <= mid < w_end:
                self._scoped[i].merge(interval)
                self._scoped_duration[i] += end_s - start_s
        for i, t in enumerate(self.thresholds):
            if t.abort_when_failing_for_s is None:
                continue
            r = evaluate(t, interval, end_s - start_s)
            if r.observed is not None and not r.ok:
                if self._failing_since.get(i) is None:
                    self._failing_since[i] = start_s
            else:
                self._failing_since[i] = None

    def _store_for(self, i: int, whole: Queryable) -> Queryable:
        return self._scoped.get(i, whole)

    def _duration_for(self, i: int, whole_s: float) -> float:
        return self._scoped_duration[i] if i in self._scoped else whole_s

    def check_abort(self, live: Queryable, elapsed_s: float) -> ThresholdResult | None:
        """The first abortOnFail threshold that now calls for stopping the run, if any.

        ``live`` is everything recorded so far: ``Collector.live_view()`` (only the selectors of
        the thresholds due are read) or a merged store such as ``Collector.live()``.
        """
        if self.abort is not None:
            return self.abort
        for i, t in enumerate(self.thresholds):
            if not t.abort_on_fail or elapsed_s < t.delay_abort_eval_s:
                continue
            if t.abort_when_failing_for_s is not None:
                since = self._failing_since.get(i)
                if since is None or self._last_end_s - since < t.abort_when_failing_for_s:
                    continue
                r = evaluate(t, live, elapsed_s)
                self.abort = ThresholdResult(t, r.observed, False, aborted=True)
                return self.abort
            r = evaluate(t, self._store_for(i, live), self._duration_for(i, elapsed_s))
            if r.observed is not None and not r.ok:
                self.abort = ThresholdResult(t, r.observed, False, aborted=True)
                return self.abort
        return None

    def final(self, store: Queryable, duration_s: float) -> list[ThresholdResult]:
        """Every threshold judged over all its data (the run's verdict)."""
        results = []
        for i, t in enumerate(self.thresholds):
            r = evaluate(t, self._store_for(i, store), self._duration_for(i, duration_s))
            if self.abort is not None and self.abort.threshold == t:
                r = ThresholdResult(t, r.observed, False, aborted=True)
            results.append(r)
        return results
