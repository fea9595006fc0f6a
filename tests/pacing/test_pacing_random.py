"""PoissonPacer and GammaPacer: deterministic per seed, random access in any order, bounded
memory, the base's rate on average and the requested burstiness."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest

from genesis_load.pacing import (
    ConstantPacer,
    GammaPacer,
    Pacer,
    PoissonPacer,
    Stage,
    StagesPacer,
)
from genesis_load.pacing._gaps import LEAF_SIZE

BASE = ConstantPacer(1000)  # 1000/s, unbounded


def due_times(pacer: Pacer, count: int) -> np.ndarray:
    due = [pacer.due_s(n) for n in range(count)]
    assert None not in due
    return np.array(due, dtype=float)


@pytest.mark.parametrize(
    "build",
    [lambda seed: PoissonPacer(BASE, seed), lambda seed: GammaPacer(BASE, 0.3, seed)],
    ids=["poisson", "gamma"],
)
def test_the_same_seed_gives_the_same_schedule_and_another_seed_another(
    build: Callable[[int], Pacer],
) -> None:
    first = list(due_times(build(7), 5_000))
    assert list(due_times(build(7), 5_000)) == first
    assert list(due_times(build(8), 5_000)) != first


def test_questions_in_any_order_get_the_in_order_answers() -> None:
    hits = [*range(0, 3 * LEAF_SIZE + 5), 10**6, 10**6 + 1, 10**9, 10**12, 2**52 - 1]
    in_order = PoissonPacer(BASE, seed=3)
    expected = {n: in_order.due_s(n) for n in hits}
    shuffled = list(hits)
    random.Random(1).shuffle(shuffled)
    any_order = PoissonPacer(BASE, seed=3)
    assert {n: any_order.due_s(n) for n in shuffled} == expected  # bit for bit


def test_an_evicted_early_hit_is_regenerated_identically() -> None:
    pacer = GammaPacer(BASE, burstiness=2, seed=11)
    early = [pacer.due_s(n) for n in range(100)]
    for leaf in range(1, 300):  # walk far enough to evict everything cached
        pacer.due_s(leaf * LEAF_SIZE)
    assert [pacer.due_s(n) for n in range(100)] == early


def test_burstiness_one_is_poisson() -> None:
    poisson, gamma = PoissonPacer(BASE, seed=5), GammaPacer(BASE, burstiness=1, seed=5)
    assert [poisson.due_s(n) for n in range(1_000)] == [gamma.due_s(n) for n in range(1_000)]


@pytest.mark.parametrize(
    "pacer",
    [
        PoissonPacer(BASE, seed=1),
        GammaPacer(BASE, burstiness=0.25, seed=1),
        GammaPacer(BASE, burstiness=0.5, seed=2),
        GammaPacer(BASE, burstiness=2, seed=3),
        GammaPacer(BASE, burstiness=3, seed=4),
    ],
    ids=[
        "poisson at 1000/s: gaps have CV 1",
        "gamma, burstiness 0.25: nearly regular",
        "gamma, burstiness 0.5",
        "gamma, burstiness 2: bursts",
        "gamma, burstiness 3: heavy bursts",
    ],
)
def test_over_100k_hits_the_mean_rate_is_the_base_and_the_gaps_cv_the_burstiness(
    pacer: GammaPacer,
) -> None:
    due = due_times(pacer, 100_000)
    gaps = np.diff(np.concatenate(([0.0], due)))
    assert np.all(gaps >= 0)
    assert 100_000 / due[-1] == pytest.approx(1000, rel=0.03)
    assert gaps.std() / gaps.mean() == pytest.approx(pacer.burstiness, rel=0.05)


def test_poisson_over_a_ramp_follows_the_ramp() -> None:
    """Time rescaling: 0 -> 1000/s over 100 s; each 10 s window holds its integral."""
    base = StagesPacer(0, [Stage(100, 1000)])
    pacer = PoissonPacer(base, seed=9)
    planned = pacer.planned_hits()
    assert planned is not None
    due = due_times(pacer, planned)
    edges = np.arange(0, 101, 10, dtype=float)
    counts = np.diff(np.searchsorted(due, edges))
    expected = np.diff([base.hits_at(float(t)) for t in edges])
    assert np.all(np.abs(counts - expected) <= 4 * np.sqrt(expected) + 1)


@pytest.mark.parametrize(
    "pacer",
    [
        PoissonPacer(ConstantPacer(1000, duration_s=100), seed=1),
        GammaPacer(ConstantPacer(1000, duration_s=100), burstiness=2, seed=1),
        PoissonPacer(StagesPacer(50, [Stage(900, 1000)]), seed=1),
    ],
    ids=[
        "poisson at 1000/s for 100 s -> about 100,000",
        "gamma at 1000/s for 100 s -> about 100,000",
        "poisson over the stress ramp -> about 472,500",
    ],
)
def test_planned_hits_agree_with_due_times_and_the_integral(pacer: GammaPacer) -> None:
    planned, end = pacer.planned_hits(), pacer.duration_s
    assert planned is not None and end is not None
    expected = pacer.hits_at(end)
    assert abs(planned - expected) <= 4 * pacer.burstiness * expected**0.5
    last = pacer.due_s(planned - 1)
    assert last is not None and last < end
    assert pacer.due_s(planned) is None
    assert pacer.pace(0.0, planned) == (0.0, True)


def test_rate_and_expected_hits_are_the_base_ones() -> None:
    base = StagesPacer(0, [Stage(10, 100)])
    pacer = GammaPacer(base, burstiness=2, seed=1)
    assert [pacer.rate_at(t) for t in (0, 2.5, 10)] == [base.rate_at(t) for t in (0, 2.5, 10)]
    assert [pacer.hits_at(t) for t in (0, 2.5, 10)] == [base.hits_at(t) for t in (0, 2.5, 10)]
    assert pacer.duration_s == 10


def test_a_huge_hit_index_costs_no_memory_in_proportion() -> None:
    pacer = PoissonPacer(BASE, seed=2)
    tracemalloc.start()
    try:
        due = pacer.due_s(10**15)  # 31 years at 1000/s
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert due == pytest.approx(10**12, rel=1e-6)
    assert peak < 1_000_000


def test_the_caches_stay_bounded_on_a_long_run() -> None:
    pacer = GammaPacer(BASE, burstiness=0.5, seed=2)
    for leaf in range(600):  # 2.5 million hits, one question per block of 4096
        pacer.due_s(leaf * LEAF_SIZE + 17)
    nodes, leaves = pacer._positions.cached()
    assert nodes <= 256 and leaves <= 4


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: GammaPacer(BASE, 0, 1), "burstiness must be > 0, got 0"),
        (lambda: GammaPacer(BASE, -1, 1), "burstiness must be > 0, got -1"),
        (lambda: PoissonPacer(BASE, -1), "seed must be an integer >= 0, got -1"),
        (
            lambda: PoissonPacer(BASE, 1.5),  # type: ignore[arg-type]
            "seed must be an integer >= 0, got 1.5",
        ),
    ],
    ids=["zero burstiness", "negative burstiness", "negative seed", "fractional seed"],
)
def test_invalid_arguments_are_refused(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()
