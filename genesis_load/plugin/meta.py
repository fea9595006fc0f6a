"""The run's metadata (``results.meta``): versions, host, runner, times, how the run ended.

Owns reading these facts from Locust's environment and the process; the values are the
schema's :class:`~genesis_load.results.Meta`.
"""

from __future__ import annotations

import datetime as dt
import platform
from importlib.metadata import version

import psutil
from locust.env import Environment
from locust.runners import MasterRunner

from ..metrics.collector import Collector
from ..metrics.hdr import HIGHEST_TRACKABLE, LOWEST_TRACKABLE, SIGNIFICANT_FIGURES
from ..redact import redact_text, redact_url
from ..results.schema import HdrInfo, Meta

__all__ = ["PERCENTILE_DEFINITION", "cpu_seconds", "run_meta"]

PERCENTILE_DEFINITION = (
    "nearest rank on an HDR histogram (3 significant figures): the highest value equivalent "
    "to the bucket holding the sample of rank round(p/100*N); p(0)=min and p(100)=max exactly"
)

_HDR = HdrInfo(
    unit="microseconds (time trends), milli-units (other trends)",
    lowest_trackable=LOWEST_TRACKABLE,
    highest_trackable=HIGHEST_TRACKABLE,
    significant_figures=SIGNIFICANT_FIGURES,
)


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds")


def _version(dist: str) -> str:
    try:
        return version(dist)
    except Exception:
        return "unknown"


def cpu_seconds() -> float:
    """This process's CPU time so far (user + system)."""
    t = psutil.Process().cpu_times()
    return float(t.user + t.system)


def stage_windows(environment: Environment) -> dict[str, tuple[float, float]]:
    """Named stage windows of the shape (run-relative seconds), for reports and thresholds."""
    windows = getattr(environment.shape_class, "stage_windows", None)
    if not callable(windows):
        return {}
    return {str(name): (float(a), float(b)) for name, (a, b) in windows().items()}


def planned_seconds(environment: Environment) -> float | None:
    """The run's planned length: its shape's schedule, else ``-t``; None when open-ended."""
    planned = getattr(environment.shape_class, "planned_s", None)
    if callable(planned):
        return float(planned())
    run_time = getattr(environment.parsed_options, "run_time", None)
    return float(run_time) if run_time else None


def run_meta(
    environment: Environment,
    collector: Collector,
    *,
    ended: str = "completed",
    interrupted_by: str | None = None,
    interrupted: bool,
    aborted: str | None,
    cpu_start_s: float,
    interval_s: float,
    trend_stats: tuple[str, ...],
    warnings: list[str],
) -> Meta:
    wall_s = max(collector.duration_s, 1e-9)
    runner = environment.runner
    return Meta(
        tool="genesis-load",
        tool_version=_version("genesis-load"),
        locust_version=_version("locust"),
        python_version=platform.python_version(),
        host=redact_url(environment.host or ""),
        user_classes=sorted(u.__name__ for u in environment.user_classes),
        runner="master" if isinstance(runner, MasterRunner) else "local",
        workers=runner.worker_count if isinstance(runner, MasterRunner) else 0,
        start=_iso(collector.start_s),
        end=_iso(collector.end_s),
        duration_s=collector.duration_s,
        ended=ended,
        interrupted=interrupted,
        interrupted_by=interrupted_by,
        aborted=aborted,
        loadgen_cpu_percent=(cpu_seconds() - cpu_start_s) / wall_s * 100.0,
        interval_s=interval_s,
        trend_stats=list(trend_stats),
        hdr=_HDR,
        percentile_definition=PERCENTILE_DEFINITION,
        stages=stage_windows(environment),
        planned_s=planned_seconds(environment),
        warnings=[redact_text(w) for w in warnings],
    )
