"""The seed's schedules by name: their planned load, stages and scaling."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from genesis_load.errors import ConfigError
from genesis_load.executors import preset, preset_from_env
from genesis_load.executors.scaling import scale_user_classes
from genesis_load.plugin.options import config_from_options


@pytest.mark.parametrize(
    ("name", "seconds", "hits"),
    [
        ("baseline", 300, 30_000),
        ("stress", 900, 472_500),
        ("spike", 480, 223_000),
        ("soak", 1800, 180_000),
        ("benchmarks", 1500, 150_000),
    ],
    ids=[
        "baseline 100/s x 5 min",
        "stress 50 -> 1000/s over 15 min",
        "spike 100 -> 1500 -> 100/s in 8 min",
        "soak 100/s x 30 min",
        "benchmarks 25 min",
    ],
)
def test_seed_schedules(name: str, seconds: float, hits: int) -> None:
    s = preset(name)
    assert s.duration_s == seconds
    assert s.pacer.planned_hits() == hits


def test_spike_stages_and_scaling() -> None:
    s = preset("spike", rate_factor=0.5, time_factor=0.1)
    expected = {
        "warm": (0, 12),
        "surge": (12, 12.5),
        "spike": (12.5, 24.5),
        "drop": (24.5, 25),
        "recovery": (25, 48),
    }
    windows = s.stage_windows()
    assert list(windows) == list(expected)
    for name, window in expected.items():
        assert windows[name] == pytest.approx(window), name
    assert s.pacer.rate_at(20) == 750


def test_overrides_and_bad_names() -> None:
    assert preset("stress", steps=3).stage_windows()["level3"][1] == pytest.approx(900)
    with pytest.raises(ConfigError, match="unknown scenario preset 'warp'"):
        preset("warp")
    with pytest.raises(ConfigError, match="preset 'baseline'"):
        preset("baseline", speed=3)


def test_profile_factors_come_from_the_environment() -> None:
    class Baseline:
        scenario = preset("baseline")

    environ = {"GENESIS_TIME_FACTOR": "0.1", "GENESIS_RATE_FACTOR": "2"}
    config = config_from_options(SimpleNamespace(), environ)
    scale_user_classes([Baseline], config.rate_factor, config.time_factor)
    s = Baseline.scenario
    assert (s.duration_s, s.pacer.rate_at(1)) == (30, 200)
    environ = {"GENESIS_RATE_FACTOR": "fast", "GENESIS_TIME_FACTOR": "-1"}
    with pytest.raises(ConfigError) as err:
        config_from_options(SimpleNamespace(), environ)
    assert "GENESIS_RATE_FACTOR='fast'" in str(err.value)
    assert "GENESIS_TIME_FACTOR='-1'" in str(err.value)


def test_preset_from_env_is_a_deprecated_preset_that_no_longer_scales(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GENESIS_TIME_FACTOR", "0.1")
    with pytest.warns(DeprecationWarning, match="applied when the run starts"):
        s = preset_from_env("baseline")
    assert s.duration_s == 300  # scaled once, later, by the one scaling path
