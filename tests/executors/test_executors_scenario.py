from __future__ import annotations

import pytest

from genesis_load.errors import ConfigError
from genesis_load.executors import scenario_from_config


def test_a_ramping_scenario_with_named_stages() -> None:
    s = scenario_from_config(
        "spike",
        {
            "executor": "ramping-arrival-rate",
            "startRate": 100,
            "preAllocatedVUs": 50,
            "maxVUs": 500,
            "startTime": "10s",
            "tags": {"team": "core"},
            "dropPolicy": "late",
            "stages": [
                {"duration": "1m", "target": 100},
                {"duration": "10s", "target": 1500},
                {"duration": "2m", "target": 1500},
            ],
        },
        "profiles/local.toml: scenarios",
        stage_names=["warm", "surge", "hold"],
    )
    assert (s.pre_allocated_vus, s.max_vus, s.drop_policy, s.start_time_s) == (50, 500, "late", 10)
    assert s.stage_windows() == {"warm": (10, 70), "surge": (70, 80), "hold": (80, 200)}
    assert s.duration_s == 200


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as err:
        scenario_from_config(
            "bad",
            {
                "executor": "ramping-arrival-rate",
                "startRate": -5,
                "preAllocatedVUs": 50,
                "maxVUs": 10,
                "stages": [{"target": 100}],
                "dropPolicy": "sometimes",
                "gracefulStop": "soon",
            },
            "profiles/ci.toml: scenarios",
        )
    text = str(err.value)
    for fragment in (
        "scenarios.bad.startRate",
        "scenarios.bad.stages[0].duration",
        "maxVUs: must be >= preAllocatedVUs (50), got 10",
        "dropPolicy",
        "gracefulStop",
    ):
        assert fragment in text, fragment


@pytest.mark.parametrize(
    ("cfg", "fragment"),
    [
        (
            {
                "executor": "constant-arrival-rate",
                "rate": 0,
                "duration": "1s",
                "preAllocatedVUs": 1,
            },
            "rate",
        ),
        (
            {"executor": "constant-arrival-rate", "rate": 10, "duration": "1s"},
            "preAllocatedVUs: must be a whole number >= 1",
        ),
        ({"executor": "warp-speed", "preAllocatedVUs": 1}, "executor"),
        ({"executor": "ramping-arrival-rate", "stages": [], "preAllocatedVUs": 1}, "stages"),
    ],
    ids=["zero rate", "no VUs", "unknown executor", "no stages"],
)
def test_bad_scenarios_name_the_key(cfg: dict, fragment: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=fragment):
        scenario_from_config("s", cfg, "where")
