"""genesis-load's command-line options on Locust's parser, and their validation.

Owns the option names and turning parsed options into a frozen :class:`PluginConfig`. Every
problem is collected and reported at once, before any load is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..metrics.selector import Selector, parse_selector
from ..metrics.stats import DEFAULT_TREND_STATS, parse_trend_stats
from ..outputs.results import check_writable
from ..suite.profiles import Profile, load_profile
from ..suite.registry import SUITE

__all__ = ["PluginConfig", "add_options", "config_from_options"]


@dataclass(frozen=True)
class PluginConfig:
    summary_json: str | None = None
    trend_stats: tuple[str, ...] = DEFAULT_TREND_STATS
    submetrics: tuple[Selector, ...] = ()
    hdr_log: str | None = None
    interval_s: float = 1.0
    max_points: int = 3600
    print_summary: bool = True
    thresholds: tuple[str, ...] = ()
    threshold_eval_interval_s: float = 2.0
    breaking_p95_ms: float = 500.0
    breaking_error_rate: float = 0.01
    breaking_sustain_s: float = 5.0
    profile: Profile | None = None
    live_status: str | None = None
    monitor_url: str | None = None
    monitor_pid: int | None = None
    monitor_interval_s: float = 1.0


def add_options(parser: Any) -> None:
    """Add the options to Locust's (configargparse) parser, in their own group."""
    group = parser.add_argument_group("genesis-load", "exact HDR metrics and results files")
    group.add_argument(
        "--summary-json",
        metavar="PATH",
        default=None,
        help="write all results (metrics, sub-metrics, series) to this JSON file at the end",
    )
    group.add_argument(
        "--summary-trend-stats",
        metavar="STATS",
        default=",".join(DEFAULT_TREND_STATS),
        help="trend columns of the summary, e.g. 'avg,med,p(95),p(99.9),max'",
    )
    group.add_argument(
        "--summary-submetric",
        metavar="SELECTOR",
        action="append",
        default=[],
        help="also report a sub-metric, e.g. 'http_req_duration{name:/health}' (repeatable)",
    )
    group.add_argument(
        "--hdr-log",
        metavar="PATH",
        default=None,
        help="write an HdrHistogram interval log (.hlog) of http_req_duration",
    )
    group.add_argument(
        "--series-interval",
        metavar="SECONDS",
        type=float,
        default=1.0,
        help="length of one time-series interval (default 1 s)",
    )
    group.add_argument(
        "--threshold",
        metavar="'METRIC: EXPR'",
        action="append",
        default=[],
        help="k6 threshold, e.g. 'http_req_duration{name:/health}: p(95)<500' (repeatable; "
        "several expressions separated by ';')",
    )
    group.add_argument(
        "--threshold-eval-interval",
        metavar="SECONDS",
        type=float,
        default=2.0,
        help="how often abortOnFail thresholds are checked during the run (default 2 s)",
    )
    group.add_argument(
        "--breaking-p95",
        metavar="MS",
        type=float,
        default=500.0,
        help="analysis: p95 above this (ms) counts as broken (default 500, the seed's target)",
    )
    group.add_argument(
        "--breaking-error-rate",
        metavar="SHARE",
        type=float,
        default=0.01,
        help="analysis: an error share above this counts as broken (default 0.01)",
    )
    group.add_argument(
        "--breaking-sustain",
        metavar="SECONDS",
        type=float,
        default=5.0,
        help="analysis: how long a breach must last to count (default 5 s)",
    )
    group.add_argument(
        "--live-status",
        metavar="PATH",
        default=None,
        help="rewrite this small JSON file every interval (elapsed, req/s, p95, errors)",
    )
    group.add_argument(
        "--monitor-url",
        metavar="URL",
        default=None,
        help="sample the target's resources from its Prometheus endpoint (e.g. HOST/metrics)",
    )
    group.add_argument(
        "--monitor-pid",
        metavar="PID",
        type=int,
        default=None,
        help="sample a local target process's resources (memory, CPU, connections) with psutil",
    )
    group.add_argument(
        "--monitor-interval",
        metavar="SECONDS",
        type=float,
        default=None,
        help="resource sampling interval (default 1 s, or the profile's)",
    )
    group.add_argument(
        "--no-genesis-summary",
        action="store_true",
        default=False,
        help="do not print genesis-load's end-of-test summary",
    )


def config_from_options(options: Any) -> PluginConfig:
    """Validate parsed options; raise one :class:`ConfigError` listing every problem."""
    problems: list[str] = []
    summary_json = getattr(options, "summary_json", None)
    hdr_log = getattr(options, "hdr_log", None)
    for option, path in (("--summary-json", summary_json), ("--hdr-log", hdr_log)):
        if path:
            try:
                check_writable(path, option)
            except ConfigError as e:
                problems.extend(e.problems)
    trend_stats = DEFAULT_TREND_STATS
    try:
        trend_stats = parse_trend_stats(
            getattr(options, "summary_trend_stats", None) or ",".join(DEFAULT_TREND_STATS)
        )
    except ConfigError as e:
        problems.extend(e.problems)
    submetrics: list[Selector] = []
    for text in getattr(options, "summary_submetric", None) or []:
        try:
            submetrics.append(parse_selector(text))
        except ConfigError as e:
            problems.append(f"--summary-submetric: {e}")
    interval_s = getattr(options, "series_interval", 1.0)
    if not isinstance(interval_s, int | float) or not 0.05 <= interval_s <= 3600:
        problems.append(f"--series-interval {interval_s!r}: must be between 0.05 and 3600 s")
    eval_s = getattr(options, "threshold_eval_interval", 2.0)
    if not isinstance(eval_s, int | float) or not 0.1 <= eval_s <= 600:
        problems.append(f"--threshold-eval-interval {eval_s!r}: must be between 0.1 and 600 s")
    profile = None
    # Locust already has ``--profile NAME`` (it groups runs in Locust Cloud); genesis-load
    # reads the same option: profiles/NAME.toml (or a path) scales the scenarios, adds
    # thresholds and sets the analysis. A name with no such file is an error.
    if getattr(options, "profile", None):
        try:
            profile = load_profile(options.profile, tuple(SUITE))
        except ConfigError as e:
            problems.extend(e.problems)
    live_status = getattr(options, "live_status", None)
    if live_status:
        try:
            check_writable(live_status, "--live-status")
        except ConfigError as e:
            problems.extend(e.problems)
    p95 = getattr(options, "breaking_p95", 500.0)
    err = getattr(options, "breaking_error_rate", 0.01)
    sustain = getattr(options, "breaking_sustain", 5.0)
    if profile is not None:  # the profile's analysis settings win over the defaults
        p95, err, sustain = profile.breaking_p95_ms, profile.breaking_error_rate, profile.sustain_s
    if not (isinstance(p95, int | float) and p95 > 0):
        problems.append(f"--breaking-p95 {p95!r}: must be > 0 ms")
    if not (isinstance(err, int | float) and 0 <= err < 1):
        problems.append(f"--breaking-error-rate {err!r}: must be within [0, 1)")
    if not (isinstance(sustain, int | float) and sustain > 0):
        problems.append(f"--breaking-sustain {sustain!r}: must be > 0 s")
    monitor_url = getattr(options, "monitor_url", None)
    if monitor_url and not str(monitor_url).startswith(("http://", "https://")):
        problems.append(f"--monitor-url {monitor_url!r}: expected an http(s) URL")
    monitor_pid = getattr(options, "monitor_pid", None)
    if monitor_pid is not None and monitor_pid <= 0:
        problems.append(f"--monitor-pid {monitor_pid!r}: expected a process id")
    monitor_s = getattr(options, "monitor_interval", None)
    if monitor_s is None:
        monitor_s = profile.monitor_interval_s if profile is not None else 1.0
    if not (isinstance(monitor_s, int | float) and 0.05 <= monitor_s <= 60):
        problems.append(f"--monitor-interval {monitor_s!r}: must be between 0.05 and 60 s")
    if problems:
        raise ConfigError(problems)
    return PluginConfig(
        summary_json=summary_json,
        trend_stats=trend_stats,
        submetrics=tuple(submetrics),
        hdr_log=hdr_log,
        interval_s=float(interval_s),
        print_summary=not getattr(options, "no_genesis_summary", False),
        thresholds=tuple(getattr(options, "threshold", None) or ()),
        threshold_eval_interval_s=float(eval_s),
        breaking_p95_ms=float(p95),
        breaking_error_rate=float(err),
        breaking_sustain_s=float(sustain),
        profile=profile,
        live_status=live_status,
        monitor_url=monitor_url,
        monitor_pid=monitor_pid,
        monitor_interval_s=float(monitor_s),
    )
