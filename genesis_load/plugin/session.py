"""One environment's run: when it starts, ticks, ends, and who hears about it.

Owns the life cycle of one Locust ``Environment`` under genesis-load: at test start a fresh
collector, the interval ticker, the resource monitor and the outputs' ``start``; at each
interval the ``vus`` gauges, the roll and the outputs' ``interval``; at the end (test stop, or
at once on Ctrl-C/SIGTERM, again with the last requests) the threshold verdicts, the analysis,
the typed :class:`~genesis_load.results.Results`, and the outputs' ``stop``. Recording is the
:class:`~.recorder.Recorder`'s, shipping between processes the :class:`~.distributed.WireLink`'s,
judging the :class:`~.threshold_runner.ThresholdRunner`'s; no output is called by name.

Created by :func:`genesis_load.plugin.attach`, one per environment; every listener is
registered on that environment's events (and detached by :meth:`Session.detach`).
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any

import gevent
import msgspec
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from ..analysis import analyze
from ..errors import EXIT_ABORTED, EXIT_INTERRUPTED, EXIT_RESULTS_NOT_WRITTEN, ResultsError
from ..executors.runs import ScenarioRuns, attach_runs
from ..executors.timer import yield_to_io
from ..metrics.collector import Collector
from ..metrics.metric import BUILTIN_METRICS, samples
from ..metrics.selector import Selector
from ..metrics.sinks import CounterSink
from ..monitor import PidSource, PrometheusSource, ResourceMonitor, SelfSource
from ..outputs.base import IntervalSample, Output
from ..results.build import build_results
from ..results.schema import Results, ThresholdVerdict, Verdict
from .distributed import WireLink
from .meta import cpu_seconds, run_meta
from .options import PluginConfig
from .recorder import Recorder
from .threshold_runner import ThresholdRunner
from .ticker import IntervalTicker

__all__ = ["Session"]

log = logging.getLogger("genesis_load")

_VUS = BUILTIN_METRICS["vus"]
_VUS_MAX = BUILTIN_METRICS["vus_max"]


class Session:
    """genesis-load's state for one Environment: collector, outputs, thresholds, monitor."""

    def __init__(
        self,
        environment: Environment,
        config: PluginConfig | None = None,
        outputs: list[Output] | None = None,
    ) -> None:
        self.environment = environment
        self.config = config or PluginConfig()
        self.outputs: list[Output] = list(outputs or [])
        self.collector = Collector(time.time(), self.config.max_points)
        self.recorder = Recorder(environment, self.collector)
        self.wire = WireLink(self.collector, self.config.interval_s)
        self.runs: ScenarioRuns = attach_runs(environment)
        self.ticker = IntervalTicker(self._roll, self.config.interval_s)
        self.results: Results | None = None
        self.warnings: list[str] = []
        self.thresholds: ThresholdRunner | None = None
        self.monitor: ResourceMonitor | None = None
        self.abort_reason: str | None = None
        self._monitor_greenlet: gevent.Greenlet | None = None
        self._started = False
        self._interrupted = False
        #: The signal that interrupted the run (``SIGINT``, ``SIGTERM``; ``signal`` if unknown).
        self.interrupted_by: str | None = None
        #: Outputs that failed to write during this run (their error messages).
        self.output_errors: list[str] = []
        self._cpu_start_s = 0.0
        self._vus_max = 0
        self._flush = False  # the last roll of a run closes every interval left

    def use_thresholds(self, runner: ThresholdRunner) -> None:
        """Judge these thresholds at the end of every run and let them set the exit code."""
        self.thresholds = runner
        for output in self.outputs:
            output.use_thresholds(tuple(runner.thresholds))

    # -- wiring ------------------------------------------------------------------------------
    def attach(self) -> Session:
        events = self.environment.events
        events.request.add_listener(self.recorder.on_request)
        events.user_error.add_listener(self.recorder.on_user_error)
        events.test_start.add_listener(self.on_test_start)
        events.test_stop.add_listener(self.on_test_stop)
        events.quitting.add_listener(self.on_quitting)
        events.cpu_warning.add_listener(self.on_cpu_warning)
        events.spawning_complete.add_listener(self.on_spawning_complete)
        self.wire.attach(self.environment)
        samples.add_listener(self.recorder.on_sample)
        self.runs.samples.add_listener(self.recorder.on_scenario_sample)
        return self

    def detach(self) -> None:
        events = self.environment.events
        events.request.remove_listener(self.recorder.on_request)
        events.user_error.remove_listener(self.recorder.on_user_error)
        events.test_start.remove_listener(self.on_test_start)
        events.test_stop.remove_listener(self.on_test_stop)
        events.quitting.remove_listener(self.on_quitting)
        events.cpu_warning.remove_listener(self.on_cpu_warning)
        events.spawning_complete.remove_listener(self.on_spawning_complete)
        self.wire.detach(self.environment)
        samples.remove_listener(self.recorder.on_sample)
        self.runs.samples.remove_listener(self.recorder.on_scenario_sample)
        self.ticker.stop()
        self._stop_monitor()

    @property
    def is_worker(self) -> bool:
        return isinstance(self.environment.runner, WorkerRunner)

    @property
    def is_master(self) -> bool:
        return isinstance(self.environment.runner, MasterRunner)

    # -- start -------------------------------------------------------------------------------
    def on_test_start(self, environment: Environment, **_: Any) -> None:
        now = time.time()
        self.collector = Collector(now, self.config.max_points)
        self.recorder.collector = self.wire.collector = self.collector
        self.results = None
        self.warnings = []
        self.output_errors = []
        self._interrupted = False
        self.interrupted_by = None
        self._started = True
        self._vus_max = 0
        self._cpu_start_s = cpu_seconds()
        self._cpu_warned = False
        self.abort_reason = None
        if self.thresholds is not None:
            self.thresholds.on_test_start()
        if self.is_worker:
            self.wire.start_worker(now)  # ships time-stamped intervals to the master
            return
        if self.is_master:
            self.wire.start_master(now)  # bins the workers' intervals by time
            self.wire.send_initial_shares()
        self._each_output("start", now)
        self.ticker.start(now)
        self._start_monitor()

    def _start_monitor(self) -> None:
        """Sample the generator itself, and the target when a URL or PID was given."""
        sources: dict[str, Any] = {"loadgen": SelfSource()}
        if self.config.monitor_pid is not None:
            sources["target"] = PidSource(self.config.monitor_pid)
        elif self.config.monitor_url:
            sources["target"] = PrometheusSource(self.config.monitor_url)
        self.monitor = ResourceMonitor(sources, self.config.monitor_interval_s, sleep=gevent.sleep)
        self._monitor_greenlet = gevent.spawn(self.monitor.run)

    def _stop_monitor(self) -> None:
        if self.monitor is not None:
            self.monitor.stop()
        if self._monitor_greenlet is not None:
            self._monitor_greenlet.kill(block=False)
            self._monitor_greenlet = None

    # -- each interval -----------------------------------------------------------------------
    def _roll(self, now: float) -> None:
        runner = self.environment.runner
        allocated = runner.user_count if runner is not None else 0
        # scenario VUs spawned but parked until needed are not active (k6's vus vs vus_max)
        self._vus_max = max(self._vus_max, allocated)
        self.collector.record(_VUS, allocated - self.runs.parked, None, now)
        self.collector.record(_VUS_MAX, self._vus_max, None, now)
        # a master closes an interval once the workers' data for it came (a few s later)
        for closed in self.collector.advance(now, pause=_yield, flush=self._flush):
            sample = IntervalSample(closed.point, closed.store, closed.start_s, closed.end_s)
            self._each_output("interval", sample)

    def _each_output(self, hook: str, arg: Any) -> None:
        """Call one hook of every output; a failing output is logged and kept in the warnings."""
        for output in self.outputs:
            try:
                getattr(output, hook)(arg)
            except ResultsError as e:
                log.error("genesis-load: %s", e)
                if str(e) not in self.output_errors:
                    self.output_errors.append(str(e))
                if str(e) not in self.warnings:
                    self.warnings.append(str(e))

    def on_spawning_complete(self, **_: Any) -> None:
        """Users are set up: move every object so far out of the garbage collector's sight.

        A full collection over the many objects of hundreds of users and streams paused the
        process for 50-100 ms, which read as latency (docs/streaming.md). ``gc.freeze()``
        keeps them out of later collections; ``gc.unfreeze()`` at the end gives them back."""
        gc.freeze()

    def on_cpu_warning(self, environment: Environment, cpu_usage: float, **_: Any) -> None:
        self._cpu_warned = True
        self.warnings.append(
            f"load generator CPU reached {cpu_usage:.0f}%: latency figures above ~90% CPU "
            "include the generator's own queueing and are not trustworthy"
        )

    # -- the end -----------------------------------------------------------------------------
    def on_test_stop(self, environment: Environment, **_: Any) -> None:
        if self.is_master and self._started:
            # every worker's last data before the results (bounded; a missing one is named)
            self.wire.wait_for_workers(float(environment.stop_timeout or 0.0))
        self.finalize()
        gc.unfreeze()  # the users' objects go back to the collector (see on_spawning_complete)

    def interrupt(self, by: str) -> None:
        """A signal ends the run early: the results say so, and so does the exit code."""
        self._interrupted = True
        self.interrupted_by = self.interrupted_by or by

    def on_quitting(self, environment: Environment, **_: Any) -> None:
        """Ctrl-C or SIGTERM quits Locust while users run: write what we have now.

        Locust then stops the runner, which fires ``test_stop`` and writes the results again
        with the last requests, still marked as interrupted.
        """
        runner = self.environment.runner
        running = runner is not None and runner.state in ("spawning", "running")
        if running:
            self.interrupt("signal")
        if self._started and (running or self.results is None):
            self.finalize()
        if self._started and not self.is_worker:
            code = self.exit_code()
            if code is not None:
                self.environment.process_exit_code = code

    def ended(self) -> str:
        """How the run ended: ``completed``, ``interrupted`` or ``aborted``."""
        if self.abort_reason:
            return "aborted"
        if self._interrupted:
            return "interrupted"
        return "worker_lost" if self.wire.partial else "completed"

    def exit_code(self) -> int | None:
        """The process exit code this run decides (None: leave it to Locust).

        Precedence (errors.py): aborted 108, interrupted 105, results not written 103,
        thresholds 99 / 0. With no thresholds and a run that went as planned, Locust's own
        code stands (``--exit-code-on-error``)."""
        if self.thresholds is not None and self.thresholds.exit_code() == EXIT_ABORTED:
            return EXIT_ABORTED
        if self._interrupted or self.wire.partial:  # a lost worker: incomplete, like 105
            return EXIT_INTERRUPTED
        if self.output_errors:
            return EXIT_RESULTS_NOT_WRITTEN
        if self.thresholds is not None:
            return self.thresholds.exit_code()
        return None

    def finalize(self) -> Results | None:
        """Close the last interval, judge, build the results and hand them to the outputs."""
        if not self._started or self.is_worker:
            return None
        self.ticker.stop()
        self._stop_monitor()
        self._flush = True
        self.ticker.roll_now()
        self._flush = False
        verdicts: list[ThresholdVerdict] = []
        verdict: Verdict | None = None
        if self.thresholds is not None:
            verdicts, verdict = self.thresholds.judge()
        warnings = list(self.warnings) + self.wire.warnings()
        resources = None
        if self.monitor is not None:
            resources = self.monitor.results()
            warnings.extend(self.monitor.warnings())
        meta = run_meta(
            self.environment,
            self.collector,
            ended=self.ended(),
            interrupted_by=self.interrupted_by,
            interrupted=self._interrupted,
            aborted=self.abort_reason,
            cpu_start_s=self._cpu_start_s,
            interval_s=self.config.interval_s,
            trend_stats=self.config.trend_stats,
            warnings=warnings,
        )
        cpu_warned = self._cpu_warned
        cpu_percent: float | None = meta.loadgen_cpu_percent
        if self.is_master:  # the workers generate the load: Locust flags one above 90% CPU
            cpu_warned = bool(getattr(self.environment.runner, "worker_cpu_warning_emitted", 0))
            cpu_percent = None
        dropped = _dropped_warning(self.collector, cpu_percent, cpu_warned)
        if dropped is not None:
            meta = msgspec.structs.replace(meta, warnings=[*meta.warnings, dropped])
        if self.is_master:
            meta = msgspec.structs.replace(
                meta,
                workers=max(meta.workers, self.wire.max_workers),
                partial=self.wire.partial,
                lost_workers=[w.to_json() for w in self.wire.lost],
                missing_final_workers=list(self.wire.missing_finals),
            )
        analysis = analyze(
            self.collector.series,
            dict(meta.stages),
            p95_target_ms=self.config.breaking_p95_ms,
            error_rate_limit=self.config.breaking_error_rate,
            sustain_s=self.config.breaking_sustain_s,
        )
        self.results = build_results(
            self.collector,
            meta,
            self.config.trend_stats,
            self.config.submetrics,
            thresholds=verdicts,
            verdict=verdict,
            analysis=analysis,
            resources=resources,
        )
        self._each_output("stop", self.results)
        return self.results


#: Above this average CPU a run's dropped iterations are the generator's doing.
_GENERATOR_BOUND_CPU_PERCENT = 85.0


def _dropped_warning(
    collector: Collector, cpu_percent: float | None, cpu_warned: bool
) -> str | None:
    """What dropped iterations mean, k6-style: no VU was free at a hit's start time, either
    because the generator ran out of CPU or because every VU was waiting for the target.
    ``cpu_percent``: this process's average (None on a master: its workers sent the load)."""
    dropped = collector.query(Selector("dropped_iterations"))
    offered = collector.query(Selector("offered_iterations"))
    if not isinstance(dropped, CounterSink) or not dropped.value:
        return None
    of = f" of {offered.value:.0f} offered" if isinstance(offered, CounterSink) else ""
    head = f"{dropped.value:.0f} iterations{of} were dropped (no VU was free at their start)"
    cpu = "a worker's CPU passed 90%" if cpu_percent is None else f"CPU {cpu_percent:.0f}%"
    if cpu_warned or (cpu_percent or 0.0) >= _GENERATOR_BOUND_CPU_PERCENT:
        return (
            f"{head}: the load generator was the bottleneck ({cpu}); spread the load over "
            "more processes (--processes, --workers)"
        )
    cpu = "no worker's CPU passed 90%" if cpu_percent is None else f"generator {cpu}"
    return (
        f"{head}: every VU was busy waiting for the target ({cpu}); raise maxVUs if the "
        "target should take more"
    )


def _yield() -> None:
    yield_to_io()  # let due iterations and requests run between summaries (not sleep(0))
