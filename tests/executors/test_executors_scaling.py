"""The one scaling path: factors from the environment, applied to classes once."""

from __future__ import annotations

import pytest

from genesis_load.errors import ConfigError
from genesis_load.executors import preset
from genesis_load.executors.scaling import factors_from_env, scale_user_classes
from genesis_load.executors.vus import VUScenario, VUStage


@pytest.mark.parametrize(
    ("environ", "factors"),
    [
        ({}, {}),
        ({"GENESIS_RATE_FACTOR": "", "GENESIS_TIME_FACTOR": ""}, {}),
        ({"GENESIS_RATE_FACTOR": "0.5"}, {"rate_factor": 0.5}),
        ({"GENESIS_TIME_FACTOR": "2", "GENESIS_RATE_FACTOR": "3"},
         {"rate_factor": 3.0, "time_factor": 2.0}),
    ],
    ids=["nothing set", "set but empty", "rate only", "both"],
)  # fmt: skip
def test_factors_from_the_environment(environ: dict[str, str], factors: dict[str, float]) -> None:
    assert factors_from_env(environ) == factors


def test_bad_factors_are_all_reported() -> None:
    with pytest.raises(ConfigError) as err:
        factors_from_env({"GENESIS_RATE_FACTOR": "nan", "GENESIS_TIME_FACTOR": "0"})
    assert list(err.value.problems) == [
        "GENESIS_RATE_FACTOR='nan': expected a number > 0",
        "GENESIS_TIME_FACTOR='0': expected a number > 0",
    ]


def test_scaling_twice_does_not_compound_and_factors_of_one_restore() -> None:
    class Spike:
        scenario = preset("spike")

    written = Spike.scenario
    for _ in range(2):  # e.g. two Environments attached in one process
        scale_user_classes([Spike], 0.5, 0.1)
        assert Spike.scenario.duration_s == pytest.approx(48)
        assert Spike.scenario.pacer.rate_at(20) == 750
        assert Spike.fixed_count == Spike.scenario.max_vus == 375
    scale_user_classes([Spike], 1, 1)
    assert Spike.scenario is written


def test_a_subclass_of_a_scaled_class_is_scaled_from_the_written_schedule() -> None:
    class Base:
        scenario = preset("baseline")

    class Child(Base):
        pass

    class Own(Base):
        scenario = preset("soak")

    assert scale_user_classes([Base, Child, Own], 2, 0.1) == ["baseline", "baseline", "soak"]
    assert Child.scenario.duration_s == Base.scenario.duration_s == pytest.approx(30)
    assert Child.scenario.pacer.rate_at(1) == 200
    assert Own.scenario.duration_s == pytest.approx(180)


def test_closed_model_scenarios_scale_their_vus_and_stages() -> None:
    class Ramp:
        scenario = VUScenario(
            "ramp", "ramping-vus", stages=(VUStage(60, 10), VUStage(30, 0)), max_duration_s=600
        )

    scale_user_classes([Ramp, object], 0.5, 0.5)
    assert Ramp.scenario.stages == (VUStage(30, 5), VUStage(15, 0))
    assert Ramp.scenario.max_duration_s == 300
