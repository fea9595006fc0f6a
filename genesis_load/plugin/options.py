"""genesis-load's command-line options on Locust's parser, and their validation.

Owns the option names and turning parsed options into a frozen :class:`PluginConfig`. Each
option is one row of :data:`OPTIONS` (flag, the config field it fills, help, how it is read and
checked); ``add_options`` and ``config_from_options`` are generated from the table, and an
option's default is the :class:`PluginConfig` field's. Every problem is collected and reported
at once, before any load is sent (exit 104).

Two inputs are not genesis-load's own options: Locust's ``--profile NAME`` (read here, through
:mod:`genesis_load.profiles`) and the ``GENESIS_RATE_FACTOR`` / ``GENESIS_TIME_FACTOR``
environment variables. Either gives the run's scale factors (``rate_factor``, ``time_factor``),
which ``attach`` applies once; both at once is refused, so factors never multiply.

Adding an option is one row (and a ``PluginConfig`` field)::

    Option("--max-points", "max_points", "series points kept in memory", "N", parse=int,
           check=_bounded(lambda n: n >= 2, "must be at least 2")),
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import ConfigError
from ..executors.scaling import RATE_FACTOR_ENV, TIME_FACTOR_ENV, factors_from_env
from ..metrics.selector import Selector, parse_selector
from ..metrics.stats import DEFAULT_TREND_STATS, parse_trend_stats
from ..profiles import Profile, load_profile
from ..results.io import check_writable

__all__ = ["OPTIONS", "Option", "PluginConfig", "add_options", "config_from_options"]


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
    #: ``--out NAME=ARG`` as given (k6 style), in order; the outputs registry checks NAME.
    out: tuple[str, ...] = ()
    #: Probe the host once before a headless run (``--no-host-check`` turns it off).
    check_host: bool = True
    #: How long iterations in flight may finish when the run stops (k6's gracefulStop).
    graceful_stop_s: float = 30.0
    #: The run's scale factors: the profile's, or GENESIS_RATE_FACTOR / GENESIS_TIME_FACTOR.
    rate_factor: float = 1.0
    time_factor: float = 1.0


#: A check takes (flag, value) and returns the config value, or raises ConfigError.
Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Option:
    """One command-line option: its flag and the :class:`PluginConfig` field it fills."""

    flag: str
    field: str
    help: str
    metavar: str | None = None
    #: ``value``: one value; ``list``: repeatable, a tuple in the config; ``switch``: a flag
    #: whose presence sets the field to ``not default`` (``--no-genesis-summary``).
    kind: Literal["value", "list", "switch"] = "value"
    #: argparse's conversion of the text (``float``, ``int``); None keeps the text.
    parse: Callable[[str], Any] | None = None
    check: Check | None = None
    #: How the field's default is written on the command line (``--help``, Locust's web UI).
    default_text: Callable[[Any], Any] | None = None
    #: The profile's value, used when the option is not given (argparse default None).
    profile_default: Callable[[Profile], Any] | None = None
    #: The profile's value, used even when the option is given (the analysis settings).
    profile_wins: Callable[[Profile], Any] | None = None

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    @property
    def default(self) -> Any:
        """The config field's default (the one place defaults are written)."""
        return _FIELD_DEFAULTS[self.field]

    def argparse_kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"help": self.help}
        if self.kind == "switch":
            return {**kw, "action": "store_true", "default": False}
        if self.metavar is not None:
            kw["metavar"] = self.metavar
        if self.kind == "list":
            return {**kw, "action": "append", "default": []}
        if self.parse is not None:
            kw["type"] = self.parse
        if self.profile_default is not None:
            kw["default"] = None
        elif self.default_text is not None:
            kw["default"] = self.default_text(self.default)
        else:
            kw["default"] = self.default
        return kw

    def read(self, options: Any, profile: Profile | None) -> Any:
        """The option's raw value: given, else the profile's, else the field default."""
        value = getattr(options, self.dest, None)
        if self.kind == "switch":
            return (not self.default) if value else self.default
        if self.kind == "list":
            return tuple(value or ())
        if profile is not None and self.profile_wins is not None:
            return self.profile_wins(profile)
        if value is None and profile is not None and self.profile_default is not None:
            return self.profile_default(profile)
        if value is None and self.default_text is not None:
            value = self.default_text(self.default)
        return self.default if value is None else value


_FIELD_DEFAULTS: Mapping[str, Any] = {
    f.name: f.default
    for f in dataclasses.fields(PluginConfig)
    if f.default is not f.default_factory
}


# -- checks: (flag, raw value) -> config value, or ConfigError ------------------------------


def _writable(flag: str, path: str | None) -> str | None:
    if path:
        check_writable(path, flag)
    return path


def _trend_stats(_flag: str, text: str) -> tuple[str, ...]:
    return parse_trend_stats(text or ",".join(DEFAULT_TREND_STATS))


def _selectors(flag: str, texts: Sequence[str]) -> tuple[Selector, ...]:
    selectors, problems = [], []
    for text in texts:
        try:
            selectors.append(parse_selector(text))
        except ConfigError as e:
            problems.append(f"{flag}: {e}")
    if problems:
        raise ConfigError(problems)
    return tuple(selectors)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(value)
    return float(value)


def _between(low: float, high: float) -> Check:
    def check(flag: str, value: Any) -> float:
        try:
            if low <= _number(value) <= high:
                return float(value)
        except ValueError:
            pass
        raise ConfigError(f"{flag} {value!r}: must be between {low:g} and {high:g} s")

    return check


def _bounded(ok: Callable[[float], bool], what: str) -> Check:
    def check(flag: str, value: Any) -> float:
        try:
            if ok(_number(value)):
                return float(value)
        except ValueError:
            pass
        raise ConfigError(f"{flag} {value!r}: {what}")

    return check


def _http_url(flag: str, url: str | None) -> str | None:
    if url and not str(url).startswith(("http://", "https://")):
        raise ConfigError(f"{flag} {url!r}: expected an http(s) URL")
    return url


def _pid(flag: str, pid: int | None) -> int | None:
    if pid is not None and pid <= 0:
        raise ConfigError(f"{flag} {pid!r}: expected a process id")
    return pid


#: Every genesis-load option, in ``--help`` order.
OPTIONS: tuple[Option, ...] = (
    Option("--summary-json", "summary_json",
           "write all results (metrics, sub-metrics, series) to this JSON file at the end",
           "PATH", check=_writable),
    Option("--summary-trend-stats", "trend_stats",
           "trend columns of the summary, e.g. 'avg,med,p(95),p(99.9),max'",
           "STATS", check=_trend_stats, default_text=",".join),
    Option("--summary-submetric", "submetrics",
           "also report a sub-metric, e.g. 'http_req_duration{name:/health}' (repeatable)",
           "SELECTOR", kind="list", check=_selectors),
    Option("--hdr-log", "hdr_log",
           "write an HdrHistogram interval log (.hlog) of http_req_duration",
           "PATH", check=_writable),
    Option("--series-interval", "interval_s",
           "length of one time-series interval (default 1 s)",
           "SECONDS", parse=float, check=_between(0.05, 3600)),
    Option("--threshold", "thresholds",
           "k6 threshold, e.g. 'http_req_duration{name:/health}: p(95)<500' (repeatable; "
           "several expressions separated by ';')",
           "'METRIC: EXPR'", kind="list"),
    Option("--threshold-eval-interval", "threshold_eval_interval_s",
           "how often abortOnFail thresholds are checked during the run (default 2 s)",
           "SECONDS", parse=float, check=_between(0.1, 600)),
    Option("--breaking-p95", "breaking_p95_ms",
           "analysis: p95 above this (ms) counts as broken (default 500, the seed's target)",
           "MS", parse=float, check=_bounded(lambda v: v > 0, "must be > 0 ms"),
           profile_wins=lambda p: p.breaking_p95_ms),
    Option("--breaking-error-rate", "breaking_error_rate",
           "analysis: an error share above this counts as broken (default 0.01)",
           "SHARE", parse=float, check=_bounded(lambda v: 0 <= v < 1, "must be within [0, 1)"),
           profile_wins=lambda p: p.breaking_error_rate),
    Option("--breaking-sustain", "breaking_sustain_s",
           "analysis: how long a breach must last to count (default 5 s)",
           "SECONDS", parse=float, check=_bounded(lambda v: v > 0, "must be > 0 s"),
           profile_wins=lambda p: p.sustain_s),
    Option("--live-status", "live_status",
           "rewrite this small JSON file every interval (elapsed, req/s, p95, errors)",
           "PATH", check=_writable),
    Option("--monitor-url", "monitor_url",
           "sample the target's resources from its Prometheus endpoint (e.g. HOST/metrics)",
           "URL", check=_http_url),
    Option("--monitor-pid", "monitor_pid",
           "sample a local target process's resources (memory, CPU, connections) with psutil",
           "PID", parse=int, check=_pid),
    Option("--monitor-interval", "monitor_interval_s",
           "resource sampling interval (default 1 s, or the profile's)",
           "SECONDS", parse=float, check=_between(0.05, 60),
           profile_default=lambda p: p.monitor_interval_s),
    Option("--out", "out",
           "send results to an output, k6 style: NAME=ARG, e.g. 'json=results.json' or "
           "'csv=run.csv' (repeatable)",
           "NAME=ARG", kind="list"),
    Option("--no-genesis-summary", "print_summary",
           "do not print genesis-load's end-of-test summary", kind="switch"),
    Option("--graceful-stop", "graceful_stop_s",
           "seconds in-flight iterations may take to finish when the run stops, so every "
           "request the target served is recorded (k6's gracefulStop; default 30; Locust's "
           "--stop-timeout wins when given)",
           "SECONDS", parse=float, check=_between(0, 3600)),
    Option("--no-host-check", "check_host",
           "do not probe the host (one TCP connect) before a headless run", kind="switch"),
)  # fmt: skip


def add_options(parser: Any) -> None:
    """Add the options to Locust's (configargparse) parser, in their own group."""
    group = parser.add_argument_group("genesis-load", "exact HDR metrics and results files")
    for option in OPTIONS:
        group.add_argument(option.flag, **option.argparse_kwargs())


def _profile(options: Any) -> Profile | None:
    # Locust already has ``--profile NAME`` (it groups runs in Locust Cloud); genesis-load
    # reads the same option: a packaged profile, ./profiles/NAME.toml or a path scales the
    # scenarios, adds thresholds and sets the analysis. A name with no such file is an error.
    name = getattr(options, "profile", None)
    return load_profile(name) if name else None


def _factors(profile: Profile | None, environ: Mapping[str, str]) -> dict[str, float]:
    """The run's scale factors: the profile's or the environment's, never both."""
    from_env = factors_from_env(environ)
    if profile is None:
        return from_env
    if from_env:
        given = ", ".join(
            f"{env}={environ[env]}"
            for env in (RATE_FACTOR_ENV, TIME_FACTOR_ENV)
            if environ.get(env)
        )
        raise ConfigError(
            f"{given} and --profile {profile.path} both scale the scenarios; give one "
            "(the factors never multiply): unset the variable(s), or put rate_factor / "
            "time_factor in a profile of your own"
        )
    return {"rate_factor": profile.rate_factor, "time_factor": profile.time_factor}


def config_from_options(options: Any, environ: Mapping[str, str] | None = None) -> PluginConfig:
    """Validate parsed options; raise one :class:`ConfigError` listing every problem.

    ``environ`` (default ``os.environ``) is where the scale-factor variables are read.
    """
    problems: list[str] = []
    values: dict[str, Any] = {}
    profile = None
    try:
        profile = _profile(options)
    except ConfigError as e:
        problems.extend(e.problems)
    try:
        values.update(_factors(profile, os.environ if environ is None else environ))
    except ConfigError as e:
        problems.extend(e.problems)
    for option in OPTIONS:
        raw = option.read(options, profile)
        try:
            values[option.field] = raw if option.check is None else option.check(option.flag, raw)
        except ConfigError as e:
            problems.extend(e.problems)
    if problems:
        raise ConfigError(problems)
    return PluginConfig(profile=profile, **values)
