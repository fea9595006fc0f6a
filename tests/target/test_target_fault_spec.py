"""FaultSpec parsing and the FaultInjector's decisions, on a fake clock (no server)."""

from __future__ import annotations

import random
import statistics
from typing import Any

import pytest

from genesis_load.target.fault_spec import FaultSpec, FaultSpecError, LatencyDist
from genesis_load.target.faults import FaultInjector

VALID: list[tuple[str, dict[str, Any]]] = [
    ("empty spec injects nothing", {}),
    ("fixed latency", {"latency_ms": 25}),
    ("uniform latency", {"latency": {"dist": "uniform", "min_ms": 1, "max_ms": 9}}),
    ("normal latency", {"latency": {"dist": "normal", "mean_ms": 50, "stddev_ms": 5}}),
    ("lognormal latency", {"latency": {"dist": "lognormal", "median_ms": 20, "sigma": 0.5}}),
    ("exponential latency", {"latency": {"dist": "exponential", "mean_ms": 10}}),
    ("every rate at once", {"error_rate": 0.1, "drop_rate": 0.2, "malformed_rate": 1}),
    ("stall window", {"stall": {"start_in_s": 1, "duration_s": 2}}),
    ("paths limit the faults", {"error_rate": 1, "paths": ["/api/v1/users", "/ws"]}),
]

INVALID: list[tuple[str, object, set[str]]] = [
    ("unknown key is named", {"latency": 5, "eror_rate": 0.1}, {"latency", "eror_rate"}),
    ("rate above 1", {"error_rate": 1.5}, {"error_rate"}),
    ("negative rate", {"drop_rate": -0.1}, {"drop_rate"}),
    ("rate as a string", {"malformed_rate": "0.5"}, {"malformed_rate"}),
    ("boolean is not a number", {"latency_ms": True}, {"latency_ms"}),
    (
        "both latency forms",
        {"latency_ms": 1, "latency": {"dist": "exponential", "mean_ms": 1}},
        {"latency"},
    ),
    ("unknown distribution", {"latency": {"dist": "pareto"}}, {"latency.dist"}),
    (
        "missing distribution parameter",
        {"latency": {"dist": "uniform", "min_ms": 1}},
        {"latency.max_ms"},
    ),
    (
        "parameter of another distribution",
        {"latency": {"dist": "exponential", "mean_ms": 1, "sigma": 1}},
        {"latency.sigma"},
    ),
    (
        "uniform max below min",
        {"latency": {"dist": "uniform", "min_ms": 9, "max_ms": 1}},
        {"latency.max_ms"},
    ),
    ("stall without duration", {"stall": {"start_in_s": 1}}, {"stall.duration_s"}),
    (
        "stall with zero duration",
        {"stall": {"start_in_s": 0, "duration_s": 0}},
        {"stall.duration_s"},
    ),
    ("paths not starting with /", {"paths": ["api"]}, {"paths"}),
    (
        "every problem reported at once",
        {"error_rate": 2, "drop_rate": 2, "x": 1},
        {"error_rate", "drop_rate", "x"},
    ),
    ("body that is not an object", [1, 2], {"(body)"}),
]


@pytest.mark.parametrize(("raw"), [raw for _, raw in VALID], ids=[i for i, _ in VALID])
def test_valid_spec_round_trips_through_to_dict(raw: dict[str, Any]) -> None:
    spec = FaultSpec.from_dict(raw)
    assert spec.to_dict() == raw
    assert FaultSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize(
    ("raw", "bad_keys"), [(raw, keys) for _, raw, keys in INVALID], ids=[i for i, *_ in INVALID]
)
def test_invalid_spec_names_every_bad_key(raw: object, bad_keys: set[str]) -> None:
    with pytest.raises(FaultSpecError) as info:
        FaultSpec.from_dict(raw)
    assert set(info.value.problems) == bad_keys


@pytest.mark.parametrize(
    ("dist", "expected_mean_ms"),
    [
        (LatencyDist("uniform", (10.0, 30.0)), 20.0),
        (LatencyDist("normal", (50.0, 5.0)), 50.0),
        (LatencyDist("exponential", (10.0,)), 10.0),
    ],
    ids=["uniform 10..30 ms averages 20", "normal 50±5 averages 50", "exponential mean 10"],
)
def test_latency_distribution_samples_have_the_right_mean(
    dist: LatencyDist, expected_mean_ms: float
) -> None:
    rng = random.Random(1)
    draws = [dist.sample_ms(rng) for _ in range(5000)]
    assert min(draws) >= 0.0
    assert statistics.fmean(draws) == pytest.approx(expected_mean_ms, rel=0.08)


def test_lognormal_median_is_the_median_parameter() -> None:
    rng = random.Random(2)
    dist = LatencyDist("lognormal", (20.0, 0.5))
    assert statistics.median(dist.sample_ms(rng) for _ in range(5000)) == pytest.approx(
        20, rel=0.08
    )


class FakeClock:
    def __init__(self) -> None:
        self.now_s = 100.0

    def __call__(self) -> float:
        return self.now_s


def test_stall_holds_requests_arriving_inside_the_window_until_it_ends() -> None:
    clock = FakeClock()
    kinds: list[str] = []
    spec = FaultSpec.from_dict({"stall": {"start_in_s": 2, "duration_s": 3}})
    injector = FaultInjector(spec, seed=1, on_fault=kinds.append, clock=clock)
    assert injector.for_request("/health") is None  # before the window
    clock.now_s = 102.5
    faults = injector.for_request("/health")
    assert faults is not None
    assert faults.hold_s == pytest.approx(2.5)
    clock.now_s = 105.0
    assert injector.for_request("/health") is None  # window is half-open [start, end)
    assert kinds == ["stall"]


def test_error_decisions_repeat_after_the_spec_is_set_again() -> None:
    spec = FaultSpec.from_dict({"error_rate": 0.5, "drop_rate": 0.1})
    injector = FaultInjector(spec, seed=7)

    def run() -> list[tuple[bool, bool]]:
        decisions = [injector.for_request("/x") for _ in range(50)]
        return [(d.drop, d.error) if d else (False, False) for d in decisions]

    first = run()
    injector.set(spec)
    assert run() == first
    assert any(error for _, error in first) and any(drop for drop, _ in first)


@pytest.mark.parametrize(
    ("path", "applies"),
    [("/api/v1/users/3", True), ("/api/v1/workouts", False), ("/health", False)],
    ids=["path under a listed prefix gets faults", "other API path is spared", "health spared"],
)
def test_paths_limit_where_faults_apply(path: str, applies: bool) -> None:
    injector = FaultInjector(
        FaultSpec.from_dict({"error_rate": 1, "malformed_rate": 1, "paths": ["/api/v1/users"]}),
        seed=1,
    )
    assert (injector.for_request(path) is not None) is applies
    assert injector.malformed(path) is applies
