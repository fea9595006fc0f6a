"""scaled() for profiles and share() for distributed workers, over every kind of pacer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from genesis_load.pacing import (
    ConstantPacer,
    GammaPacer,
    Pacer,
    PoissonPacer,
    Stage,
    StagesPacer,
    scaled,
    share,
)
from genesis_load.pacing.transform import SharedPacer

SPIKE = StagesPacer(100, [Stage(20, 100), Stage(1, 1500), Stage(9, 1500), Stage(10, 100)])


@dataclass(frozen=True)
class FourPerSecond:
    """A pacer written from the protocol alone, with no help from the package."""

    duration_s: float | None = 10.0

    def rate_at(self, elapsed_s: float) -> float:
        return 4.0 if 0 <= elapsed_s < 10 else 0.0

    def hits_at(self, elapsed_s: float) -> float:
        return 4.0 * min(max(elapsed_s, 0.0), 10.0)

    def due_s(self, n: int) -> float | None:
        return n / 4 if n < 40 else None

    def pace(self, elapsed_s: float, hits: int) -> tuple[float, bool]:
        due = self.due_s(hits)
        return (0.0, True) if due is None else (max(0.0, due - elapsed_s), False)

    def planned_hits(self) -> int | None:
        return 40


@pytest.mark.parametrize(
    ("pacer", "rate_factor", "time_factor", "expected"),
    [
        (ConstantPacer(100, duration_s=60), 0.1, 0.5, ConstantPacer(10, duration_s=30)),
        (
            ConstantPacer(30, time_unit_s=60, duration_s=600),
            2,
            1,
            ConstantPacer(60, time_unit_s=60, duration_s=600),
        ),
        (
            StagesPacer(50, [Stage(900, 1000)]),
            0.5,
            2,
            StagesPacer(25, [Stage(1800, 500)]),
        ),
        (
            PoissonPacer(ConstantPacer(100, duration_s=60), seed=4),
            2,
            0.25,
            PoissonPacer(ConstantPacer(200, duration_s=15), seed=4),
        ),
        (
            GammaPacer(StagesPacer(0, [Stage(10, 10)]), 2, seed=4),
            3,
            1,
            GammaPacer(StagesPacer(0, [Stage(10, 30)]), 2, seed=4),
        ),
        (
            share(ConstantPacer(100, duration_s=60), 1, 4),
            0.5,
            2,
            share(ConstantPacer(50, duration_s=120), 1, 4),
        ),
    ],
    ids=[
        "constant 100/s for 1 min at 10% of the rate, half the time -> 10/s for 30 s",
        "30 per minute, doubled -> 60 per minute",
        "the stress ramp at half the rate over twice the time",
        "poisson keeps its seed over a scaled base",
        "gamma keeps its seed and burstiness over a scaled ramp",
        "a worker's share of a scaled schedule is the share of the scaled schedule",
    ],
)
def test_built_in_pacers_scale_to_their_own_kind(
    pacer: Pacer, rate_factor: float, time_factor: float, expected: Pacer
) -> None:
    assert scaled(pacer, rate_factor, time_factor) == expected


@pytest.mark.parametrize(
    "pacer",
    [
        SPIKE,
        PoissonPacer(SPIKE, seed=1),
        GammaPacer(SPIKE, burstiness=0.5, seed=1),
        FourPerSecond(),
    ],
    ids=["stages", "poisson", "gamma", "a pacer from outside the package"],
)
@pytest.mark.parametrize(
    ("rate_factor", "time_factor"),
    [(1, 1), (2, 1), (1, 3), (0.5, 4)],
    ids=["unchanged", "twice the rate", "three times as long", "half the rate, 4x as long"],
)
def test_scaled_rates_durations_and_integrals(
    pacer: Pacer, rate_factor: float, time_factor: float
) -> None:
    out = scaled(pacer, rate_factor, time_factor)
    assert pacer.duration_s is not None
    assert out.duration_s == pytest.approx(pacer.duration_s * time_factor)
    for t in (0.0, 5.0, 20.5, 25.0, 39.0):
        assert out.rate_at(t * time_factor) == pytest.approx(rate_factor * pacer.rate_at(t))
        assert out.hits_at(t * time_factor) == pytest.approx(
            rate_factor * time_factor * pacer.hits_at(t)
        )
    planned, expected = out.planned_hits(), out.hits_at(pacer.duration_s * time_factor)
    assert planned is not None
    assert abs(planned - expected) <= 4 * expected**0.5 + 1


def test_stretching_time_alone_stretches_a_random_schedule() -> None:
    """Rates / 2 over twice the time: the same hits, each due twice as late."""
    pacer = GammaPacer(SPIKE, burstiness=2, seed=8)
    slow = scaled(pacer, rate_factor=0.5, time_factor=2)
    for n in range(0, 20_000, 37):
        due, slow_due = pacer.due_s(n), slow.due_s(n)
        assert (due is None) == (slow_due is None)
        if due is not None:
            assert slow_due == pytest.approx(2 * due, rel=1e-12, abs=1e-12)


def test_a_pacer_from_outside_is_scaled_as_uniform_arrivals() -> None:
    out = scaled(FourPerSecond(), rate_factor=2, time_factor=3)  # 8/s for 30 s
    assert out.planned_hits() == 240
    for n in (0, 1, 7, 100, 239):
        assert out.due_s(n) == pytest.approx(n / 8, abs=1e-12)
    assert out.due_s(240) is None


def test_random_arrivals_work_over_a_pacer_from_outside() -> None:
    outside, inside = PoissonPacer(FourPerSecond(), 6), PoissonPacer(ConstantPacer(4, 1, 10), 6)
    assert outside.planned_hits() == inside.planned_hits()
    for n in range(inside.planned_hits() or 0):
        assert outside.due_s(n) == pytest.approx(inside.due_s(n), abs=1e-12)


@pytest.mark.parametrize(
    ("rate_factor", "time_factor"),
    [(0, 1), (1, 0), (-1, 1), (float("nan"), 1)],
    ids=["zero rate factor", "zero time factor", "negative rate factor", "NaN rate factor"],
)
def test_scale_factors_must_be_positive(rate_factor: float, time_factor: float) -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        scaled(ConstantPacer(1), rate_factor, time_factor)


def all_due(pacer: Pacer) -> list[float]:
    planned = pacer.planned_hits()
    assert planned is not None
    due = [pacer.due_s(n) for n in range(planned)]
    assert all(d is not None for d in due)
    return [d for d in due if d is not None]


@pytest.mark.parametrize(
    "pacer",
    [
        ConstantPacer(10, duration_s=60),
        SPIKE,
        PoissonPacer(SPIKE, seed=2),
        GammaPacer(SPIKE, burstiness=3, seed=2),
    ],
    ids=["constant", "stages", "poisson", "gamma"],
)
@pytest.mark.parametrize("count", [1, 2, 3, 7], ids=lambda k: f"{k} workers")
def test_the_union_of_the_shares_is_the_global_schedule_exactly(pacer: Pacer, count: int) -> None:
    shares = [share(pacer, i, count) for i in range(count)]
    union = sorted(d for s in shares for d in all_due(s))
    assert union == all_due(pacer)  # bit for bit, every hit once
    assert sum(s.planned_hits() or 0 for s in shares) == pacer.planned_hits()


def test_shares_interleave_so_no_worker_bursts() -> None:
    pacer = ConstantPacer(100, duration_s=10)
    for i in range(4):
        due = np.array(all_due(share(pacer, i, 4)))
        assert due[0] == pytest.approx(i / 100)
        assert np.diff(due) == pytest.approx(0.04)  # every worker at 25/s from its first hit


@pytest.mark.parametrize(
    ("index", "count", "m", "global_n"),
    [(0, 4, 0, 0), (1, 4, 0, 1), (3, 4, 2, 11), (2, 3, 100, 302)],
    ids=[
        "worker 0 of 4: its hit 0 is hit 0",
        "worker 1 of 4: its hit 0 is hit 1",
        "worker 3 of 4: its hit 2 is hit 11",
        "worker 2 of 3: its hit 100 is hit 302",
    ],
)
def test_a_shares_hit_m_is_the_global_hit_m_count_plus_index(
    index: int, count: int, m: int, global_n: int
) -> None:
    pacer = GammaPacer(SPIKE, burstiness=2, seed=3)
    assert share(pacer, index, count).due_s(m) == pacer.due_s(global_n)


@pytest.mark.parametrize(
    ("elapsed_s", "rate", "hits"),
    [(0.0, 0.0, 0.0), (0.015, 25.0, 0.125), (0.05, 25.0, 1.0), (10.0, 0.0, 249.75)],
    ids=[
        "worker 1 of 4 at 100/s: nothing before its first hit at 10 ms",
        "at 15 ms: a quarter of the rate, (1.5 - 1) / 4 hits expected",
        "at 50 ms: one of its hits expected (global 5 minus 1, over 4)",
        "at the end: (1000 - 1) / 4",
    ],
)
def test_a_shares_rate_and_integral(elapsed_s: float, rate: float, hits: float) -> None:
    worker = share(ConstantPacer(100, duration_s=10), 1, 4)
    assert worker.rate_at(elapsed_s) == rate
    assert worker.hits_at(elapsed_s) == pytest.approx(hits)


def test_a_share_of_a_share_is_a_finer_share() -> None:
    pacer = ConstantPacer(10)
    assert share(share(pacer, 1, 3), 1, 2) == SharedPacer(pacer, 4, 6)
    assert share(pacer, 0, 1) is pacer


@pytest.mark.parametrize(
    ("index", "count", "message"),
    [
        (0, 0, "count must be an integer >= 1"),
        (4, 4, r"index must be an integer in \[0, 4\)"),
        (-1, 4, "index must be"),
        (True, 4, "index must be"),
    ],
    ids=["no workers", "index past the last worker", "negative index", "a bool index"],
)
def test_share_arguments_are_checked(index: int, count: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        share(ConstantPacer(1), index, count)
