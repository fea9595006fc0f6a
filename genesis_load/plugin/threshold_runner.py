"""Thresholds in a Locust run: gathered and validated at init, watched during, judged at the end.

Owns the glue only: where declarations come from (``set_thresholds``, a user class's
``thresholds`` attribute, ``--threshold`` options), the periodic abort check, stopping the runner,
and the process exit code. Parsing and judging live in :mod:`genesis_load.thresholds`.

Exit codes (documented in the README): 0 all thresholds passed; 99 one failed; 108 the run was
aborted by an ``abortOnFail`` threshold; 104 invalid configuration (raised at init). With no
thresholds declared, genesis-load leaves the exit code to Locust (``--exit-code-on-error``).
With thresholds declared, they decide: failed requests count only through thresholds such as
``http_req_failed: rate<0.01``, as in k6.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

import gevent
from locust.env import Environment

from ..errors import EXIT_ABORTED, EXIT_OK, EXIT_THRESHOLDS_FAILED, ConfigError
from ..metrics.store import Store
from ..results.schema import ThresholdVerdict, Verdict
from ..thresholds import (
    Threshold,
    ThresholdEngine,
    ThresholdResult,
    declared_thresholds,
    parse_cli_threshold,
    validate_metrics,
)
from ..thresholds.spec import collect_thresholds
from ..units import format_observed
from .meta import stage_windows

__all__ = ["ThresholdRunner", "gather_thresholds"]

log = logging.getLogger("genesis_load")


def gather_thresholds(
    environment: Environment,
    cli: Sequence[str],
    extra_sources: Sequence[tuple[Any, str]] = (),
) -> list[Threshold]:
    """Every declared threshold, validated; one ConfigError listing all problems."""
    problems: list[str] = []
    found: list[Threshold] = []
    sources: list[tuple[Any, str]] = [*declared_thresholds(), *extra_sources]
    for user_class in environment.user_classes:
        mapping = getattr(user_class, "thresholds", None)
        if mapping:
            sources.append((mapping, f"{user_class.__name__}.thresholds"))
    shape_thresholds = getattr(environment.shape_class, "thresholds", None)
    if shape_thresholds:
        sources.append((shape_thresholds, f"{type(environment.shape_class).__name__}.thresholds"))
    for mapping, where in sources:
        valid, invalid = collect_thresholds(mapping, where)
        found.extend(valid)
        problems.extend(invalid)
    for text in cli:
        try:
            found.extend(parse_cli_threshold(text))
        except ConfigError as e:
            problems.extend(e.problems)
    try:
        validate_metrics(found)
    except ConfigError as e:
        problems.extend(e.problems)
    if problems:
        raise ConfigError(problems)
    return found


def _verdict(r: ThresholdResult) -> ThresholdVerdict:
    t = r.threshold
    return ThresholdVerdict(
        metric=str(t.selector),
        expression=t.expression.text,
        ok=r.ok,
        observed=r.observed,
        aggregation=t.expression.stat,
        abort_on_fail=t.abort_on_fail,
        aborted_run=r.aborted,
        stage=t.stage or None,
        window_s=t.window_s,
        source=t.source or None,
    )


class ThresholdRunner:
    """A session's thresholds (see :class:`~genesis_load.plugin.session.Session`)."""

    def __init__(self, session: Any, thresholds: Iterable[Threshold], eval_interval_s: float):
        self.runtime = session
        self.thresholds = list(thresholds)
        self.eval_interval_s = eval_interval_s
        self.engine = ThresholdEngine(self.thresholds, stage_windows(session.environment))
        self.results: list[ThresholdResult] = []
        self._watcher: gevent.Greenlet | None = None

    # called by the runtime ---------------------------------------------------------------
    def on_test_start(self) -> None:
        self.engine = ThresholdEngine(self.thresholds, stage_windows(self.runtime.environment))
        self.results = []
        self.runtime.collector.interval_listeners.append(self._on_interval)
        if any(t.abort_on_fail for t in self.thresholds) and not self.runtime.is_worker:
            self._watcher = gevent.spawn(self._watch)

    def _on_interval(self, interval: Store, start_s: float, end_s: float) -> None:
        origin = self.runtime.collector.start_s
        self.engine.on_interval(interval, start_s - origin, end_s - origin)

    def _watch(self) -> None:
        while True:
            gevent.sleep(self.eval_interval_s)
            collector = self.runtime.collector
            elapsed_s = time.time() - collector.start_s
            # a view, not collector.live(): only the due thresholds' selectors are merged
            hit = self.engine.check_abort(collector.live_view(), elapsed_s)
            if hit is not None:
                self._abort(hit, elapsed_s)
                return

    def _abort(self, hit: ThresholdResult, elapsed_s: float) -> None:
        metric = self.runtime.collector.cumulative.metric(hit.threshold.selector.metric)
        kind, contains = (metric.kind, metric.contains) if metric else ("", "default")
        stat = hit.threshold.expression.stat
        observed = format_observed(hit.observed, stat, kind, contains)
        reason = (
            f"aborted at {elapsed_s:.1f}s by threshold '{hit.threshold.key}' (observed {observed})"
        )
        log.error("genesis-load: %s", reason)
        self.runtime.abort_reason = reason
        env = self.runtime.environment
        runner = env.runner
        if runner is None:
            return
        if env.web_ui is not None:
            runner.stop()
        else:
            runner.quit()

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.kill(block=False)
            self._watcher = None

    def judge(self) -> tuple[list[ThresholdVerdict], Verdict]:
        """The final evaluation: one verdict per threshold and the run's verdict."""
        self.stop()
        collector = self.runtime.collector
        self.results = self.engine.final(collector.cumulative, collector.duration_s)
        verdicts = [_verdict(r) for r in self.results]
        return verdicts, Verdict(
            thresholds_ok=all(r.ok for r in self.results),
            aborted=self.runtime.abort_reason,
            exit_code=self.exit_code(),
        )

    def exit_code(self) -> int:
        if self.engine.abort is not None:
            return EXIT_ABORTED
        if not all(r.ok for r in self.results):
            return EXIT_THRESHOLDS_FAILED
        return EXIT_OK
