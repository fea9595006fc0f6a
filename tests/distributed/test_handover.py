"""The hand-over of a lost worker's share, on pure pacers (no Locust, no clock)."""

from __future__ import annotations

import pytest

from genesis_load.executors.run import Slots
from genesis_load.executors.runs import NoHits, first_due_at, handover
from genesis_load.pacing import ConstantPacer, Stage, StagesPacer, share
from genesis_load.pacing._base import Pacer


def _dues(p: Pacer, limit: int = 10_000) -> list[float]:
    out = []
    for n in range(limit):
        d = p.due_s(n)
        if d is None:
            break
        out.append(round(d, 9))
    return out


@pytest.mark.parametrize(
    ("base", "from_s", "issued"),
    [
        (ConstantPacer(100, duration_s=10), 4.0, 150),
        (ConstantPacer(100, duration_s=10), 4.003, 0),
        (StagesPacer(10, (Stage(5, 200), Stage(5, 50))), 6.5, 300),
    ],
    ids=[
        "100/s, hand-over at 4 s, 150 hits issued -> the schedule exactly",
        "100/s, hand-over between two hits, none issued yet -> the schedule exactly",
        "ramp 10 -> 200 -> 50/s, hand-over at 6.5 s -> the schedule exactly",
    ],
)
def test_survivor_before_plus_survivor_after_plus_lost_before_is_the_schedule(
    base: Pacer, from_s: float, issued: int
) -> None:
    survivor = handover(share(base, 0, 2), base, issued, 0, 1, from_s)
    lost_before = [d for d in _dues(share(base, 1, 2)) if d < from_s]
    assert sorted(_dues(survivor) + lost_before) == _dues(base)


def test_a_three_way_split_becomes_two_way_without_gaps_or_overlaps() -> None:
    base = ConstantPacer(90, duration_s=6)
    a = handover(share(base, 0, 3), base, 0, 0, 2, 2.0)
    b = handover(share(base, 2, 3), base, 0, 1, 2, 2.0)
    lost = [d for d in _dues(share(base, 1, 3)) if d < 2.0]
    assert sorted(_dues(a) + _dues(b) + lost) == _dues(base)


@pytest.mark.parametrize(
    ("t", "want"), [(0.0, 0), (0.005, 1), (0.01, 1), (9.999, 1000), (50.0, 1000)]
)
def test_first_due_at(t: float, want: int) -> None:
    assert first_due_at(ConstantPacer(100, duration_s=10), t) == want


@pytest.mark.parametrize("from_s", [3.0, 3.004], ids=["on a hit", "between two hits"])
def test_a_joining_worker_makes_a_two_way_split_three_way_without_gaps_or_overlaps(
    from_s: float,
) -> None:
    base = StagesPacer(10, (Stage(4, 120), Stage(6, 120)))
    a = handover(share(base, 0, 2), base, 40, 0, 3, from_s)
    b = handover(share(base, 1, 2), base, 40, 1, 3, from_s)
    joiner = handover(NoHits(base.duration_s), base, 0, 2, 3, from_s)
    assert _dues(joiner) and min(_dues(joiner)) >= from_s
    assert sorted(_dues(a) + _dues(b) + _dues(joiner)) == _dues(base)


def test_slots_stay_dense_whichever_vus_locust_stops() -> None:
    """Locust stops VUs of its choice when it re-balances users across workers: their slots
    come back, and a parked VU moves down into one, so slots 0..n-1 are the working ones."""
    slots = Slots()
    vus = [slots.take() for _ in range(6)]
    assert vus == [0, 1, 2, 3, 4, 5]
    slots.give(1)
    slots.give(3)  # two of the four working VUs (active_vus == 4) were stopped
    assert slots.taken == 4
    parked = [slots.better(s) for s in (4, 5)]
    assert sorted(parked) == [1, 3]  # both parked VUs now work
    assert slots.better(0) == 0  # nothing lower is free
    assert slots.take() == 4  # a new VU takes the lowest free slot
