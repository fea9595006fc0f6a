"""StagesPacer: k6 ramping-arrival-rate, an exact integral of a piecewise-linear rate and its
exact inverse, checked against 50-digit arithmetic."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest

from genesis_load.pacing import ConstantPacer, Stage, StagesPacer

# The seed's scenarios.
STRESS = StagesPacer(50, [Stage(900, 1000)])  # 50 -> 1000/s, linear over 15 min
SPIKE = StagesPacer(  # 100/s, a sudden 1500/s, back to 100/s: 8 min
    100,
    [Stage(120, 100), Stage(1, 1500), Stage(179, 1500), Stage(1, 100), Stage(179, 100)],
)
RAMP_FROM_ZERO = StagesPacer(0, [Stage(10, 100)])
PAUSE = StagesPacer(  # 100/s, ramp down to 0, a 10 s hold at 0, ramp back up, hold
    100, [Stage(10, 100), Stage(5, 0), Stage(10, 0), Stage(5, 100), Stage(10, 100)]
)
RAMP_DOWN_TO_ZERO = StagesPacer(300, [Stage(20, 0)])
PER_MINUTE = StagesPacer(60, [Stage(30, 600), Stage(0.001, 6000), Stage(1, 6000)], time_unit_s=60)


def analytic_due_s(pacer: StagesPacer, n: int) -> Decimal | None:
    """Hit n's due time from exact rationals and a 50-digit square root."""
    with localcontext() as ctx:
        ctx.prec = 50
        unit = Fraction(pacer.time_unit_s)
        start, before, r0 = Fraction(0), Fraction(0), Fraction(pacer.start_rate) / unit
        for stage in pacer.stages:
            d, r1 = Fraction(stage.duration_s), Fraction(stage.target) / unit
            hits = d * (r0 + r1) / 2
            if before <= n < before + hits:
                m, a = n - before, (r1 - r0) / (2 * d)  # solve a τ² + r0 τ - m = 0
                if a == 0:
                    tau = Decimal(m.numerator) / Decimal(m.denominator) / _dec(r0)
                else:
                    root = (_dec(r0 * r0 + 4 * a * m)).sqrt()
                    tau = (root - _dec(r0)) / (2 * _dec(a))
                return _dec(start) + tau
            start, before, r0 = start + d, before + hits, r1
        return None


def _dec(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)


@pytest.fixture(scope="module")
def stress_due_s() -> np.ndarray:
    """Every one of the stress scenario's 472,500 due times (about 0.3 s to compute)."""
    due = [STRESS.due_s(n) for n in range(STRESS.planned_hits() or 0)]
    assert None not in due
    return np.array(due, dtype=float)


def test_stress_plans_exactly_the_integral() -> None:
    assert STRESS.hits_at(900) == 472_500  # 900 (50 + 1000) / 2, exactly
    assert STRESS.duration_s == 900
    assert STRESS.planned_hits() == 472_500
    assert STRESS.due_s(472_500) is None


def test_stress_due_times_increase(stress_due_s: np.ndarray) -> None:
    assert stress_due_s[0] == 0.0
    assert np.all(np.diff(stress_due_s) > 0)
    assert stress_due_s[-1] < 900


def test_stress_every_5_second_window_holds_its_integral_within_one_hit(
    stress_due_s: np.ndarray,
) -> None:
    edges = np.arange(0, 905, 5, dtype=float)
    counts = np.diff(np.searchsorted(stress_due_s, edges, side="left"))
    expected = np.diff([STRESS.hits_at(float(t)) for t in edges])
    assert counts.sum() == 472_500
    assert np.max(np.abs(counts - expected)) <= 1
    assert counts[0] == 264 and counts[-1] == 4_986  # ceil(H(5)); ceil(H(900)) - ceil(H(895))


@pytest.mark.parametrize(
    ("pacer", "elapsed_s", "rate_per_s"),
    [
        (STRESS, 0, 50),
        (STRESS, 450, 525),
        (STRESS, 899.999, pytest.approx(999.9989444444, abs=1e-9)),
        (STRESS, 900, 0),
        (SPIKE, 60, 100),
        (SPIKE, 120.5, 800),
        (SPIKE, 200, 1500),
        (SPIKE, 300.5, 800),
        (SPIKE, 400, 100),
        (SPIKE, -1, 0),
        (PER_MINUTE, 15, 5.5),
    ],
    ids=[
        "stress starts at 50/s",
        "stress is at 525/s half way",
        "stress is nearly at 1000/s just before the end",
        "stress is over at 15 min",
        "spike holds 100/s before the spike",
        "spike is half way up its 1 s ramp",
        "spike holds 1500/s",
        "spike is half way down",
        "spike holds 100/s after",
        "nothing before the start",
        "60 -> 600 per minute over 30 s is 5.5/s at 15 s",
    ],
)
def test_rate_at(pacer: StagesPacer, elapsed_s: float, rate_per_s: float) -> None:
    assert pacer.rate_at(elapsed_s) == rate_per_s


def test_spike_plans_its_integral_and_starts_each_stage_on_time() -> None:
    assert SPIKE.duration_s == 480
    assert SPIKE.planned_hits() == 12_000 + 800 + 268_500 + 800 + 17_900
    assert SPIKE.due_s(12_000) == 120  # the ramp up starts
    assert SPIKE.due_s(12_800) == 121  # the 1500/s hold starts
    assert SPIKE.due_s(281_300) == 300  # the ramp down starts
    assert SPIKE.due_s(282_100) == 301  # the 100/s hold starts
    during_hold = [SPIKE.due_s(n) for n in range(12_800, 12_800 + 1501)]
    assert np.diff(np.array(during_hold, dtype=float)) == pytest.approx(1 / 1500, abs=1e-12)


@pytest.mark.parametrize(
    ("pacer", "n", "due_s"),
    [
        (RAMP_FROM_ZERO, 0, 0.0),
        (RAMP_FROM_ZERO, 20, 2.0),
        (RAMP_FROM_ZERO, 125, 5.0),
        (RAMP_FROM_ZERO, 499, pytest.approx((499 / 5) ** 0.5, abs=1e-12)),
        (RAMP_FROM_ZERO, 500, None),
        (StagesPacer(0, [Stage(10, 0), Stage(10, 100)]), 0, 10.0),
        (StagesPacer(0, [Stage(10, 0), Stage(10, 100)]), 125, 15.0),
        (PAUSE, 1_249, pytest.approx(15 - 0.1**0.5, abs=1e-12)),
        (PAUSE, 1_250, 25.0),
        (PAUSE, 2_499, pytest.approx(39.99, abs=1e-12)),
        (RAMP_DOWN_TO_ZERO, 2_999, pytest.approx(20 - (2 * 20 / 300) ** 0.5, abs=1e-12)),
        (RAMP_DOWN_TO_ZERO, 3_000, None),
        (StagesPacer(100, [Stage(10, 100), Stage(5, 0), Stage(10, 0)]), 1_250, None),
        (StagesPacer(0, [Stage(10, 0)]), 0, None),
    ],
    ids=[
        "ramp from 0: hit 0 at the start",
        "ramp from 0 to 100/s over 10 s: hit 20 at 2 s (t = sqrt(n / 5))",
        "ramp from 0: hit 125 at 5 s",
        "ramp from 0: the last hit just before 10 s",
        "ramp from 0: hit 500 would be at the end -> none",
        "a hold at 0 first: hit 0 waits for the rate to rise at 10 s",
        "a hold at 0 first: hit 125 at 15 s",
        "a pause: the last hit before it, during the ramp down",
        "a pause: the next hit waits for the ramp up at 25 s",
        "a pause: the last hit at 39.99 s",
        "a ramp down to 0: the last hit, solved from the end",
        "a ramp down to 0: nothing at the end",
        "a schedule ending with a hold at 0: no hit in the hold",
        "a schedule that is all 0: no hits at all",
    ],
)
def test_due_times(pacer: StagesPacer, n: int, due_s: float | None) -> None:
    assert pacer.due_s(n) == due_s


@pytest.mark.parametrize(
    ("pacer", "planned"),
    [
        (RAMP_FROM_ZERO, 500),
        (PAUSE, 2_500),
        (RAMP_DOWN_TO_ZERO, 3_000),
        (StagesPacer(100, [Stage(10, 100), Stage(5, 0), Stage(10, 0)]), 1_250),
        (StagesPacer(0, [Stage(10, 0)]), 0),
        (PER_MINUTE, 266),
        (StagesPacer(3, [Stage(1.5, 3)]), 5),
    ],
    ids=[
        "ramp from 0 to 100/s over 10 s -> 500",
        "a pause contributes nothing -> 1000 + 250 + 0 + 250 + 1000",
        "ramp down from 300/s over 20 s -> 3000",
        "a final hold at 0 adds nothing -> 1250",
        "all zero -> 0",
        "per minute: 165 + 0.055 in the 1 ms jump + 100 -> 266, 265.055 rounded up",
        "3/s for 1.5 s -> 5, like the constant pacer",
    ],
)
def test_planned_hits(pacer: StagesPacer, planned: int) -> None:
    assert pacer.planned_hits() == planned


def test_a_hold_at_zero_contributes_no_hits() -> None:
    due = np.array([PAUSE.due_s(n) for n in range(2_500)], dtype=float)
    assert not np.any((due > 15) & (due < 25))
    assert PAUSE.hits_at(15) == PAUSE.hits_at(25) == 1_250
    assert PAUSE.rate_at(20) == 0


BOUNDARY_HITS = {
    "stress": (STRESS, [0, 1, 2, 1_000, 100_000, 472_499]),
    "spike": (SPIKE, [0, 11_999, 12_000, 12_001, 12_799, 12_800, 281_300, 282_100, 299_999]),
    "pause": (PAUSE, [0, 999, 1_000, 1_249, 1_250, 1_251, 1_499, 1_500, 2_499]),
    "ramp down to 0": (RAMP_DOWN_TO_ZERO, [0, 1, 1_500, 2_998, 2_999]),
    "per minute": (PER_MINUTE, [0, 1, 164, 165, 166, 264]),
}
BOUNDARY_HITS_FOR = {id(p): hits for p, hits in BOUNDARY_HITS.values()}


@pytest.mark.parametrize(
    ("pacer", "hits"), BOUNDARY_HITS.values(), ids=[f"{k}: stage edges" for k in BOUNDARY_HITS]
)
def test_due_s_inverts_hits_at_at_stage_boundaries(pacer: StagesPacer, hits: list[int]) -> None:
    for n in hits:
        due = pacer.due_s(n)
        assert due is not None
        assert abs(pacer.hits_at(due) - n) <= 1e-9, n


@pytest.mark.parametrize(
    ("pacer", "step"),
    [(STRESS, 997), (SPIKE, 499), (PAUSE, 7), (RAMP_DOWN_TO_ZERO, 3), (PER_MINUTE, 1)],
    ids=[
        "stress: every 997th hit",
        "spike: every 499th hit",
        "pause: every 7th hit",
        "ramp down to 0: every 3rd hit",
        "per minute: every hit",
    ],
)
def test_due_times_match_50_digit_arithmetic_within_a_nanosecond(
    pacer: StagesPacer, step: int
) -> None:
    planned = pacer.planned_hits() or 0
    hits = [*range(0, planned, step), *BOUNDARY_HITS_FOR.get(id(pacer), []), planned - 1]
    for n in hits:
        due, exact = pacer.due_s(n), analytic_due_s(pacer, n)
        assert due is not None and exact is not None
        assert abs(Decimal(due) - exact) <= Decimal("1e-9"), n
        assert abs(pacer.hits_at(due) - n) <= 1e-9, n


@pytest.mark.parametrize(
    ("pacer", "exact_due_s"),
    [
        (StagesPacer(1000, [Stage(1200, 1000)]), lambda n: n / 1000),
        (StagesPacer(0, [Stage(2000, 1000)]), lambda n: 2 * n**0.5),
    ],
    ids=[
        "a 1000/s hold over 1.2 million hits: due = n / 1000",
        "0 -> 1000/s over 2000 s, a million hits: due = 2 sqrt(n)",
    ],
)
def test_no_drift_over_a_million_hits(
    pacer: StagesPacer, exact_due_s: Callable[[int], float]
) -> None:
    planned = pacer.planned_hits() or 0
    assert planned >= 1_000_000
    for n in [*range(0, planned, 1_013), *range(planned - 1_000, planned)]:
        due = pacer.due_s(n)
        assert due is not None
        assert abs(due - exact_due_s(n)) <= 1e-9, n
        assert abs(pacer.hits_at(due) - n) <= 1e-9, n


def test_a_constant_stage_schedules_like_the_constant_executor() -> None:
    stages, constant = StagesPacer(7, [Stage(60, 7)]), ConstantPacer(7, duration_s=60)
    assert stages.planned_hits() == constant.planned_hits() == 420
    assert [stages.due_s(n) for n in range(421)] == pytest.approx(
        [constant.due_s(n) for n in range(420)] + [None], abs=1e-12
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Stage(0, 10), "stage duration_s must be > 0, got 0"),
        (lambda: Stage(-1, 10), "stage duration_s must be > 0, got -1"),
        (lambda: Stage(1, -10), "stage target must be >= 0, got -10"),
        (lambda: StagesPacer(-1, [Stage(1, 1)]), "start_rate must be >= 0, got -1"),
        (lambda: StagesPacer(0, []), "stages must not be empty"),
        (lambda: StagesPacer(0, [Stage(1, 1)], time_unit_s=0), "time_unit_s must be > 0"),
    ],
    ids=[
        "a zero-length stage",
        "a negative stage",
        "a negative target",
        "a negative start rate",
        "no stages",
        "a zero time unit",
    ],
)
def test_invalid_arguments_are_refused(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()
