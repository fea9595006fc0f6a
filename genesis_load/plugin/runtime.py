"""The Locust glue: listeners that feed the collector and write the outputs.

Owns the link between one Locust ``Environment`` and one :class:`~genesis_load.metrics.Collector`:
request events in, interval ticks, worker-to-master shipping, and the end-of-test summary and
JSON file (written at test stop, and again on quit so Ctrl-C or SIGTERM still leaves results).
Everything else (what is stored, how it prints) lives in ``metrics`` and ``outputs``.
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import time
from collections.abc import Callable, Mapping
from importlib.metadata import version
from typing import Any

import gevent
import psutil
from gevent.lock import Semaphore
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from ..analysis import analyze
from ..checks import current_group
from ..errors import ResultsError
from ..metrics.collector import Collector
from ..metrics.hdr import HIGHEST_TRACKABLE, LOWEST_TRACKABLE, SIGNIFICANT_FIGURES
from ..metrics.metric import BUILTIN_METRICS, Metric, samples
from ..monitor import PidSource, PrometheusSource, ResourceMonitor, SelfSource
from ..outputs.hlog import HlogOutput
from ..outputs.results import build_results, write_json_atomic
from ..outputs.summary import print_summary
from .headers import cache_hit, server_timings
from .options import PluginConfig
from .threshold_runner import ThresholdRunner

__all__ = ["PERCENTILE_DEFINITION", "GenesisRuntime"]

log = logging.getLogger("genesis_load")

PERCENTILE_DEFINITION = (
    "nearest rank on an HDR histogram (3 significant figures): the highest value equivalent "
    "to the bucket holding the sample of rank round(p/100*N); p(0)=min and p(100)=max exactly"
)

_CACHE_HIT = BUILTIN_METRICS["cache_hit"]
_VUS = BUILTIN_METRICS["vus"]
_VUS_MAX = BUILTIN_METRICS["vus_max"]
_WIRE_KEY = "genesis_load"


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds")


class GenesisRuntime:
    """One per Environment; ``attach()`` registers its listeners."""

    #: Called with the results document after each finalize (thresholds, reports hook here).
    results_listeners: list[Callable[[GenesisRuntime, dict[str, Any]], None]]

    def __init__(self, environment: Environment, config: PluginConfig | None = None) -> None:
        self.environment = environment
        self.config = config or PluginConfig()
        self.collector = Collector(time.time(), self.config.max_points)
        self.results: dict[str, Any] | None = None
        self.results_listeners = []
        self.warnings: list[str] = []
        self._timings: dict[str, Metric] = {}
        self._ticker: gevent.Greenlet | None = None
        #: Held while an interval is summarised (which yields): no roll is cut in half.
        self._roll_lock = Semaphore()
        self._hlog: HlogOutput | None = None
        self._started = False
        self._printed = False
        self._interrupted = False
        self._cpu_start_s = 0.0
        self._vus_max = 0
        self.abort_reason: str | None = None
        self.thresholds: ThresholdRunner | None = None
        self.monitor: ResourceMonitor | None = None
        self._monitor_greenlet: gevent.Greenlet | None = None

    def use_thresholds(self, runner: ThresholdRunner) -> None:
        """Judge these thresholds in every results document and set the exit code."""
        self.thresholds = runner
        self.results_listeners.append(lambda _rt, doc: runner.judge(doc))

    # -- wiring ------------------------------------------------------------------------------
    def attach(self) -> GenesisRuntime:
        events = self.environment.events
        events.request.add_listener(self.on_request)
        events.test_start.add_listener(self.on_test_start)
        events.test_stop.add_listener(self.on_test_stop)
        events.quitting.add_listener(self.on_quitting)
        events.report_to_master.add_listener(self.on_report_to_master)
        events.worker_report.add_listener(self.on_worker_report)
        events.cpu_warning.add_listener(self.on_cpu_warning)
        samples.add_listener(self.on_sample)
        return self

    def detach(self) -> None:
        events = self.environment.events
        events.request.remove_listener(self.on_request)
        events.test_start.remove_listener(self.on_test_start)
        events.test_stop.remove_listener(self.on_test_stop)
        events.quitting.remove_listener(self.on_quitting)
        events.report_to_master.remove_listener(self.on_report_to_master)
        events.worker_report.remove_listener(self.on_worker_report)
        events.cpu_warning.remove_listener(self.on_cpu_warning)
        samples.remove_listener(self.on_sample)
        self._stop_ticker()

    @property
    def is_worker(self) -> bool:
        return isinstance(self.environment.runner, WorkerRunner)

    @property
    def is_master(self) -> bool:
        return isinstance(self.environment.runner, MasterRunner)

    # -- samples (hot path) ------------------------------------------------------------------
    def on_request(
        self,
        request_type: str,
        name: str,
        response_time: float,
        response_length: int,
        response: Any = None,
        context: Mapping[str, Any] | None = None,
        exception: BaseException | None = None,
        **_: Any,
    ) -> None:
        status = getattr(response, "status_code", 0) or 0
        waiting_ms = None
        # time to response headers: geventhttpclient keeps it as float seconds (its public
        # ``elapsed`` builds a timedelta per call); requests has a timedelta attribute
        elapsed = getattr(response, "_elapsed", None)
        if isinstance(elapsed, float):
            waiting_ms = elapsed * 1000.0
        else:
            elapsed = getattr(response, "elapsed", None)
            if isinstance(elapsed, dt.timedelta):
                waiting_ms = elapsed.total_seconds() * 1000.0
        group = current_group()
        if group:
            context = {**(context or {}), "group": group}
        self.collector.record_request(
            request_type,
            name,
            status,
            response_time or 0.0,
            exception is not None,
            response_length or 0,
            context,
            waiting_ms,
        )
        headers = getattr(response, "headers", None)
        if headers:
            self._record_headers(name, headers)

    def _record_headers(self, name: str, headers: Mapping[str, str]) -> None:
        hit = cache_hit(headers)
        if hit is not None:
            self.collector.record(_CACHE_HIT, hit, {"name": name})
        timing = headers["Server-Timing"] if "Server-Timing" in headers else None  # noqa: SIM401
        if timing:
            tags = {"name": name}
            for part, dur_ms in server_timings(timing).items():
                metric = self._timings.get(part)
                if metric is None:
                    metric = self._timings[part] = Metric(
                        f"server_timing_{part}", "trend", "time", f"Server-Timing '{part}'"
                    )
                self.collector.record(metric, dur_ms, tags)

    def on_sample(self, metric: Metric, value: float, tags: Mapping[str, str] | None) -> None:
        self.collector.record(metric, value, tags, time.time())

    # -- time --------------------------------------------------------------------------------
    def on_test_start(self, environment: Environment, **_: Any) -> None:
        now = time.time()
        self.collector = Collector(now, self.config.max_points)
        self.results = None
        self.warnings = []
        self._printed = False
        self._interrupted = False
        self._started = True
        self._vus_max = 0
        self._cpu_start_s = _cpu_s()
        self.abort_reason = None
        if self.thresholds is not None:
            self.thresholds.on_test_start()
        if self.is_worker:
            return
        if self.config.hdr_log:
            self._hlog = HlogOutput(self.config.hdr_log, now)
            self.collector.interval_listeners.append(self._hlog)
        self._ticker = gevent.spawn(self._tick_loop)
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

    def _tick_loop(self) -> None:
        interval_s = self.config.interval_s
        due = self.collector.start_s + interval_s
        while True:
            gevent.sleep(max(0.0, due - time.time()))
            self._roll(time.time())
            due += interval_s
            now = time.time()
            if due < now:  # fell behind (a blocked loop): skip, never burst
                due = now + interval_s

    def _roll(self, now: float) -> None:
        with self._roll_lock:
            self._roll_locked(now)

    def _roll_locked(self, now: float) -> None:
        runner = self.environment.runner
        allocated = runner.user_count if runner is not None else 0
        # scenario VUs spawned but parked until needed are not active (k6's vus vs vus_max)
        users = allocated - getattr(self.environment, "genesis_parked_vus", 0)
        self._vus_max = max(self._vus_max, allocated)
        self.collector.record(_VUS, users, None, now)
        self.collector.record(_VUS_MAX, self._vus_max, None, now)
        point = self.collector.roll(now, pause=_yield)
        if self.config.live_status:
            self._write_live_status(point)

    def _write_live_status(self, point: Any) -> None:
        """A small progress file for the suite runner: the last interval's figures."""
        e = point.entries
        status = {
            "elapsed_s": point.end_s,
            "rps": e.get("http_reqs", {}).get("count", 0) / point.duration_s,
            "p95_ms": e.get("http_req_duration", {}).get("p(95)"),
            "error_rate": e.get("http_req_failed", {}).get("rate", 0.0),
            "vus": e.get("vus", {}).get("value", 0),
            "requests": sum(b.count for b in self.collector.cumulative.requests.values()),
        }
        try:
            write_json_atomic(str(self.config.live_status), status)
        except ResultsError as e:
            log.warning("%s", e)

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            with self._roll_lock:  # never kill it in the middle of a roll
                self._ticker.kill(block=False)
            self._ticker = None

    # -- distributed ---------------------------------------------------------------------------
    def on_report_to_master(self, client_id: str, data: dict[str, Any], **_: Any) -> None:
        data[_WIRE_KEY] = self.collector.drain_wire()

    def on_worker_report(self, client_id: str, data: dict[str, Any], **_: Any) -> None:
        wire = data.get(_WIRE_KEY)
        if wire:
            self.collector.merge_wire(wire)

    def on_cpu_warning(self, environment: Environment, cpu_usage: float, **_: Any) -> None:
        self.warnings.append(
            f"load generator CPU reached {cpu_usage:.0f}%: latency figures above ~90% CPU "
            "include the generator's own queueing and are not trustworthy"
        )

    # -- the end -------------------------------------------------------------------------------
    def on_test_stop(self, environment: Environment, **_: Any) -> None:
        self.finalize()

    def on_quitting(self, environment: Environment, **_: Any) -> None:
        """Ctrl-C or SIGTERM quits Locust while users run: write what we have now.

        Locust then stops the runner, which fires ``test_stop`` and writes the file again
        with the last requests, still marked as interrupted.
        """
        runner = self.environment.runner
        running = runner is not None and runner.state in ("spawning", "running")
        if running:
            self._interrupted = True
        if self._started and (running or self.results is None):
            self.finalize()
        if self.thresholds is not None and self._started and not self.is_worker:
            self.environment.process_exit_code = self.thresholds.exit_code()

    def finalize(self) -> dict[str, Any] | None:
        """Close the last interval, build the results, print and write them."""
        if not self._started or self.is_worker:
            return None
        interrupted = self._interrupted
        self._stop_ticker()
        self._stop_monitor()
        self._roll(time.time())
        doc = build_results(
            self.collector,
            self.metadata(interrupted),
            self.config.trend_stats,
            self.config.submetrics,
        )
        if self.monitor is not None:
            doc["resources"] = self.monitor.results()
            doc["meta"]["warnings"].extend(self.monitor.warnings())
        stages = {k: (a, b) for k, (a, b) in doc["meta"]["stages"].items()}
        doc["analysis"] = analyze(
            self.collector.series,
            stages,
            p95_target_ms=self.config.breaking_p95_ms,
            error_rate_limit=self.config.breaking_error_rate,
            sustain_s=self.config.breaking_sustain_s,
        )
        self.results = doc
        for listener in self.results_listeners:
            listener(self, doc)
        if self.config.summary_json:
            try:
                write_json_atomic(self.config.summary_json, doc)
            except ResultsError as e:
                log.error("%s", e)
        if self._hlog is not None and not interrupted:
            self._hlog.close()
        if self.config.print_summary and not self._printed:
            self._printed = True
            print_summary(doc)
        return doc

    def metadata(self, interrupted: bool) -> dict[str, Any]:
        c = self.collector
        wall_s = max(c.duration_s, 1e-9)
        cpu_percent = (_cpu_s() - self._cpu_start_s) / wall_s * 100.0
        warnings = list(self.warnings)  # the resource monitor adds its own (generator CPU)
        runner = self.environment.runner
        return {
            "tool": "genesis-load",
            "tool_version": _version("genesis-load"),
            "locust_version": _version("locust"),
            "python_version": platform.python_version(),
            "host": self.environment.host or "",
            "user_classes": sorted(u.__name__ for u in self.environment.user_classes),
            "runner": "master" if self.is_master else "local",
            "workers": runner.worker_count if isinstance(runner, MasterRunner) else 0,
            "start": _iso(c.start_s),
            "end": _iso(c.end_s),
            "duration_s": c.duration_s,
            "interrupted": interrupted,
            "aborted": self.abort_reason,
            "loadgen_cpu_percent": cpu_percent,
            "interval_s": self.config.interval_s,
            "trend_stats": list(self.config.trend_stats),
            "hdr": {
                "unit": "microseconds (time trends), milli-units (other trends)",
                "lowest_trackable": LOWEST_TRACKABLE,
                "highest_trackable": HIGHEST_TRACKABLE,
                "significant_figures": SIGNIFICANT_FIGURES,
            },
            "percentile_definition": PERCENTILE_DEFINITION,
            "stages": _stages(self.environment),
            "warnings": warnings,
        }


def _stages(environment: Environment) -> dict[str, list[float]]:
    """Named stage windows of the shape (run-relative seconds), for reports and thresholds."""
    windows = getattr(environment.shape_class, "stage_windows", None)
    if not callable(windows):
        return {}
    return {name: [float(a), float(b)] for name, (a, b) in windows().items()}


def _yield() -> None:
    gevent.sleep(0)  # let due iterations and requests run between summaries


def _cpu_s() -> float:
    t = psutil.Process().cpu_times()
    return float(t.user + t.system)


def _version(dist: str) -> str:
    try:
        return version(dist)
    except Exception:
        return "unknown"
