"""pacer_from_config: k6 arrival-rate scenario options to pacers, every problem at once."""

from __future__ import annotations

from typing import Any

import pytest

from genesis_load.errors import ConfigError
from genesis_load.pacing import (
    ConstantPacer,
    GammaPacer,
    Pacer,
    PoissonPacer,
    Stage,
    StagesPacer,
    pacer_from_config,
)

WHERE = "profiles/ci.toml: scenarios.spike"
CONSTANT: dict[str, Any] = {"executor": "constant-arrival-rate", "rate": 100, "duration": "1m"}
RAMPING: dict[str, Any] = {
    "executor": "ramping-arrival-rate",
    "startRate": 100,
    "stages": [
        {"duration": "2m", "target": 100},
        {"duration": "1s", "target": 1500},
        {"duration": "2m59s", "target": 1500},
    ],
}


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def without(base: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in base.items() if k != key}


def with_stage(index: int, stage: Any) -> dict[str, Any]:
    stages = list(RAMPING["stages"])
    stages[index] = stage
    return with_(RAMPING, stages=stages)


@pytest.mark.parametrize(
    ("cfg", "expected"),
    [
        (CONSTANT, ConstantPacer(100, 1.0, 60.0)),
        (
            with_(CONSTANT, rate=30, timeUnit="1m", duration="1h30m"),
            ConstantPacer(30, 60.0, 5400.0),
        ),
        (
            RAMPING,
            StagesPacer(100, [Stage(120, 100), Stage(1, 1500), Stage(179, 1500)]),
        ),
        (
            without(RAMPING, "startRate"),
            StagesPacer(0, [Stage(120, 100), Stage(1, 1500), Stage(179, 1500)]),
        ),
        (
            with_(CONSTANT, arrivals="poisson", seed=42),
            PoissonPacer(ConstantPacer(100, 1.0, 60.0), 42),
        ),
        (
            with_(CONSTANT, arrivals="poisson"),
            PoissonPacer(ConstantPacer(100, 1.0, 60.0), 0),
        ),
        (
            with_(CONSTANT, arrivals="gamma", burstiness=2.5, seed=1),
            GammaPacer(ConstantPacer(100, 1.0, 60.0), 2.5, 1),
        ),
        (
            with_(CONSTANT, arrivals="uniform"),
            ConstantPacer(100, 1.0, 60.0),
        ),
        (
            with_(
                CONSTANT,
                exec="chat",
                startTime="10s",
                tags={"kind": "spike"},
                gracefulStop="30s",
                maxVUs=500,
                preAllocatedVUs=50,
                dropPolicy="count",
            ),
            ConstantPacer(100, 1.0, 60.0),
        ),
    ],
    ids=[
        "constant 100/s for 1 min",
        "30 per minute for 1h30m",
        "the spike's stages from 100/s",
        "stages start from 0 by default",
        "poisson arrivals with a seed",
        "poisson arrivals default to seed 0",
        "gamma arrivals with burstiness 2.5",
        "uniform arrivals said out loud",
        "executor-layer keys are accepted and left alone",
    ],
)
def test_valid_configs_build_the_pacer(cfg: dict[str, Any], expected: Pacer) -> None:
    assert pacer_from_config(cfg, WHERE) == expected


EXPECTED_DURATION = '(expected e.g. "30s", "500ms", "1h30m")'


@pytest.mark.parametrize(
    ("cfg", "problem"),
    [
        (with_(CONSTANT, rate=-5), "rate: must be > 0, got -5"),
        (with_(CONSTANT, rate=0), "rate: must be > 0, got 0"),
        (with_(CONSTANT, rate="10"), 'rate: must be a number, got "10"'),
        (with_(CONSTANT, rate=True), "rate: must be a number, got true"),
        (with_(CONSTANT, rate=float("nan")), "rate: must be a finite number, got NaN"),
        (without(CONSTANT, "rate"), "rate: missing"),
        (without(CONSTANT, "duration"), "duration: missing"),
        (with_(CONSTANT, duration="10"), f'duration: invalid duration "10" {EXPECTED_DURATION}'),
        (with_(CONSTANT, duration="0s"), 'duration: must be > 0, got "0s"'),
        (
            with_(CONSTANT, duration=30),
            f"duration: must be a duration string {EXPECTED_DURATION}, got 30",
        ),
        (with_(CONSTANT, timeUnit="1 s"), f'timeUnit: invalid duration "1 s" {EXPECTED_DURATION}'),
        (with_(CONSTANT, timeUnit="0ms"), 'timeUnit: must be > 0, got "0ms"'),
        (without(RAMPING, "stages"), "stages: missing"),
        (with_(RAMPING, stages=[]), "stages: must not be empty"),
        (with_(RAMPING, stages="30s"), 'stages: must be a list of {duration, target}, got "30s"'),
        (with_stage(2, {"target": 100}), "stages[2].duration: missing"),
        (
            with_stage(0, {"duration": "0s", "target": 1}),
            'stages[0].duration: must be > 0, got "0s"',
        ),
        (with_stage(1, {"duration": "1s", "target": -1}), "stages[1].target: must be >= 0, got -1"),
        (with_stage(0, {"duration": "1s"}), "stages[0].target: missing"),
        (
            with_stage(0, {"duration": "1s", "target": 1, "rate": 2}),
            "stages[0].rate: unknown key",
        ),
        (with_stage(1, 5), "stages[1]: must be a table {duration, target}, got 5"),
        (with_(RAMPING, startRate=-1), "startRate: must be >= 0, got -1"),
        (with_(CONSTANT, rps=10), "rps: unknown key"),
        (
            with_(CONSTANT, executor="constant-vus"),
            'executor: unknown executor "constant-vus" '
            '(expected "constant-arrival-rate" or "ramping-arrival-rate")',
        ),
        (without(CONSTANT, "executor"), "executor: missing"),
        (
            with_(CONSTANT, stages=RAMPING["stages"]),
            "stages: not an option of constant-arrival-rate",
        ),
        (with_(RAMPING, rate=10), "rate: not an option of ramping-arrival-rate"),
        (
            with_(CONSTANT, arrivals="bursty"),
            'arrivals: must be one of "uniform", "poisson", "gamma", got "bursty"',
        ),
        (with_(CONSTANT, arrivals="gamma", burstiness=0), "burstiness: must be > 0, got 0"),
        (with_(CONSTANT, arrivals="gamma", burstiness=-1), "burstiness: must be > 0, got -1"),
        (with_(CONSTANT, arrivals="gamma"), "burstiness: missing"),
        (
            with_(CONSTANT, arrivals="poisson", burstiness=2),
            'burstiness: only used with arrivals "gamma", not "poisson"',
        ),
        (with_(CONSTANT, arrivals="poisson", seed=-1), "seed: must be an integer >= 0, got -1"),
        (with_(CONSTANT, arrivals="poisson", seed="7"), 'seed: must be an integer >= 0, got "7"'),
        (with_(CONSTANT, seed=7), 'seed: only used with arrivals "poisson" or "gamma"'),
    ],
    ids=[
        "a negative rate",
        "a zero rate",
        "a rate as a string",
        "a rate as a bool",
        "a NaN rate",
        "no rate",
        "no duration",
        "a duration without a unit",
        "a zero duration",
        "a duration as a number",
        "a time unit with a space",
        "a zero time unit",
        "no stages",
        "empty stages",
        "stages as a string",
        "the third stage has no duration",
        "a zero-length stage",
        "a negative target",
        "a stage with no target",
        "a stage with an unknown key",
        "a stage that is not a table",
        "a negative start rate",
        "an unknown key",
        "an unknown executor",
        "no executor",
        "stages on a constant executor",
        "a rate on a ramping executor",
        "unknown arrivals",
        "zero burstiness",
        "negative burstiness",
        "gamma without burstiness",
        "burstiness for poisson",
        "a negative seed",
        "a seed as a string",
        "a seed for uniform arrivals",
    ],
)
def test_each_problem_names_the_file_and_key(cfg: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError) as err:
        pacer_from_config(cfg, WHERE)
    assert f"{WHERE}.{problem}" in err.value.problems


def test_every_problem_is_reported_at_once() -> None:
    cfg = {
        "executor": "ramping-arrival-rate",
        "timeUnit": "1x",
        "startRate": -3,
        "stages": [
            {"duration": "30s", "target": 100},
            {"duration": "0s", "target": -1},
            {"target": 5},
        ],
        "arrivals": "gamma",
        "rps": 10,
    }
    with pytest.raises(ConfigError) as err:
        pacer_from_config(cfg, WHERE)
    assert sorted(err.value.problems) == sorted(
        f"{WHERE}.{p}"
        for p in [
            "rps: unknown key",
            f'timeUnit: invalid duration "1x" {EXPECTED_DURATION}',
            "startRate: must be >= 0, got -3",
            'stages[1].duration: must be > 0, got "0s"',
            "stages[1].target: must be >= 0, got -1",
            "stages[2].duration: missing",
            "burstiness: missing",
        ]
    )
    assert str(err.value).count(WHERE) == 7


def test_a_scenario_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"scenarios\.spike: must be a table"):
        pacer_from_config(["constant-arrival-rate"], WHERE)  # type: ignore[arg-type]
