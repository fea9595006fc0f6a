"""The options table: one row per option, argparse and the config generated from it."""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from genesis_load.errors import EXIT_CONFIG_ERROR, ConfigError
from genesis_load.metrics.stats import DEFAULT_TREND_STATS
from genesis_load.plugin.options import OPTIONS, PluginConfig, add_options, config_from_options

NO_ENV: dict[str, str] = {}


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default=None)  # Locust's own option
    add_options(parser)
    return parser.parse_args(list(argv))


def _config(*argv: str, environ: dict[str, str] | None = None) -> PluginConfig:
    return config_from_options(_parse(*argv), NO_ENV if environ is None else environ)


def test_no_options_give_the_dataclass_defaults() -> None:
    assert _config() == PluginConfig()
    assert config_from_options(SimpleNamespace(), NO_ENV) == PluginConfig()  # Environment()


def test_every_row_fills_a_distinct_config_field_and_every_flag_is_distinct() -> None:
    fields = {f.name for f in dataclasses.fields(PluginConfig)}
    assert len({o.field for o in OPTIONS}) == len(OPTIONS)
    assert len({o.flag for o in OPTIONS}) == len(OPTIONS)
    assert {o.field for o in OPTIONS} <= fields
    # not options: set from Locust's --profile, the scale variables, or only in code
    assert fields - {o.field for o in OPTIONS} == {
        "profile",
        "rate_factor",
        "time_factor",
        "max_points",
    }


@pytest.mark.parametrize(
    ("argv", "field", "value"),
    [
        (["--summary-json", "r.json"], "summary_json", "r.json"),
        (["--summary-trend-stats", "avg,p(99.9)"], "trend_stats", ("avg", "p(99.9)")),
        (["--hdr-log", "run.hlog"], "hdr_log", "run.hlog"),
        (["--series-interval", "0.5"], "interval_s", 0.5),
        (["--threshold", "a: p(95)<1", "--threshold", "b: rate<0.1"], "thresholds",
         ("a: p(95)<1", "b: rate<0.1")),
        (["--threshold-eval-interval", "1"], "threshold_eval_interval_s", 1.0),
        (["--breaking-p95", "800"], "breaking_p95_ms", 800.0),
        (["--breaking-error-rate", "0.05"], "breaking_error_rate", 0.05),
        (["--breaking-sustain", "2"], "breaking_sustain_s", 2.0),
        (["--live-status", "live.json"], "live_status", "live.json"),
        (["--monitor-url", "http://127.0.0.1:1/metrics"], "monitor_url",
         "http://127.0.0.1:1/metrics"),
        (["--monitor-pid", "42"], "monitor_pid", 42),
        (["--monitor-interval", "5"], "monitor_interval_s", 5.0),
        (["--out", "json=r.json", "--out", "csv=run.csv", "--out", "warp=9"], "out",
         ("json=r.json", "csv=run.csv", "warp=9")),
        (["--no-genesis-summary"], "print_summary", False),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)  # fmt: skip
def test_each_option_sets_its_field(
    argv: list[str], field: str, value: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert getattr(_config(*argv), field) == value


def test_out_is_kept_raw_in_order_and_its_names_are_not_checked_here() -> None:
    assert _config("--out", "nope").out == ("nope",)  # the outputs registry judges it


def test_the_help_shows_the_dataclass_defaults() -> None:
    ns = _parse()
    assert ns.summary_trend_stats == ",".join(DEFAULT_TREND_STATS)
    assert ns.series_interval == PluginConfig.interval_s
    assert ns.breaking_p95 == PluginConfig.breaking_p95_ms
    assert ns.monitor_interval is None  # "default 1 s, or the profile's"
    assert ns.summary_submetric == [] and ns.out == []


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        _config(
            "--summary-json", str(tmp_path / "missing" / "r.json"),
            "--summary-trend-stats", "avg,p95",
            "--summary-submetric", "http_req_duration{name", "--summary-submetric", "x{",
            "--series-interval", "0",
            "--threshold-eval-interval", "700",
            "--breaking-p95", "0", "--breaking-error-rate", "1", "--breaking-sustain", "-1",
            "--monitor-url", "ftp://x", "--monitor-pid", "0", "--monitor-interval", "61",
            "--profile", "nope",
        )  # fmt: skip
    problems = err.value.problems
    for fragment in (
        "missing",
        "'p95'",
        "--summary-submetric: ",
        "--series-interval 0.0: must be between 0.05 and 3600 s",
        "--threshold-eval-interval 700.0: must be between 0.1 and 600 s",
        "--breaking-p95 0.0: must be > 0 ms",
        "--breaking-error-rate 1.0: must be within [0, 1)",
        "--breaking-sustain -1.0: must be > 0 s",
        "--monitor-url 'ftp://x': expected an http(s) URL",
        "--monitor-pid 0: expected a process id",
        "--monitor-interval 61.0: must be between 0.05 and 60 s",
        "unknown profile 'nope'",
    ):
        assert any(fragment in p for p in problems), (fragment, problems)
    assert sum("--summary-submetric" in p for p in problems) == 2


def test_a_profile_gives_the_factors_and_its_analysis_settings_win() -> None:
    config = _config("--profile", "ci", "--breaking-sustain", "9")
    assert config.profile is not None and config.profile.name == "ci"
    assert (config.rate_factor, config.time_factor) == (0.3, 0.02)
    assert config.breaking_sustain_s == 2.0  # ci's [analysis] sustain_s
    assert config.monitor_interval_s == 1.0  # ci's [monitor] interval_s
    assert _config("--profile", "production").monitor_interval_s == 5.0
    assert _config("--profile", "production", "--monitor-interval", "2").monitor_interval_s == 2


def test_the_environment_gives_the_factors_without_a_profile() -> None:
    config = _config(environ={"GENESIS_RATE_FACTOR": "2", "GENESIS_TIME_FACTOR": ""})
    assert (config.rate_factor, config.time_factor) == (2.0, 1.0)


def test_a_profile_and_the_environment_together_are_refused_not_multiplied() -> None:
    with pytest.raises(ConfigError) as err:
        _config("--profile", "ci", environ={"GENESIS_TIME_FACTOR": "0.5"})
    (problem,) = err.value.problems
    assert "GENESIS_TIME_FACTOR=0.5 and --profile" in problem
    assert "ci.toml both scale the scenarios" in problem and "never multiply" in problem


def test_locust_refuses_a_profile_and_the_variables_before_any_load(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(root / "locustfiles" / "spike.py"),
         "--headless", "--host", "http://127.0.0.1:9", "--profile", "ci"],
        capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
        env={**os.environ, "GENESIS_RATE_FACTOR": "2"},
    )  # fmt: skip
    assert proc.returncode == EXIT_CONFIG_ERROR, proc.stderr[-2000:]
    assert "GENESIS_RATE_FACTOR=2 and --profile" in proc.stderr
    assert "no load was sent" in proc.stderr
