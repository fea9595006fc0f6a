"""ConstantPacer: k6 constant-arrival-rate as numbers (first hit at t = 0, hits at t < duration)."""

from __future__ import annotations

import pytest

from genesis_load.pacing import ConstantPacer


@pytest.mark.parametrize(
    ("pacer", "n", "due_s"),
    [
        (ConstantPacer(2), 0, 0.0),
        (ConstantPacer(2), 9, 4.5),
        (ConstantPacer(30, time_unit_s=60), 3, 6.0),
        (ConstantPacer(1, time_unit_s=0.5), 4, 2.0),
        (ConstantPacer(3, duration_s=1.5), 4, 4 / 3),
        (ConstantPacer(2, duration_s=5), 10, None),
        (ConstantPacer(1000), 10**9, 10**6),
    ],
    ids=[
        "2/s: hit 0 is due at once",
        "2/s: hit 9 is due at 4.5 s",
        "30 per minute: hit 3 is due at 6 s",
        "1 per 500 ms: hit 4 is due at 2 s",
        "3/s for 1.5 s: hit 4 is due at 1.333 s",
        "2/s for 5 s: hit 10 would be at 5 s, the end -> none",
        "1000/s unbounded: hit 10^9 is due at 10^6 s",
    ],
)
def test_due_times(pacer: ConstantPacer, n: int, due_s: float | None) -> None:
    assert pacer.due_s(n) == due_s


@pytest.mark.parametrize(
    ("pacer", "hits", "elapsed_s", "expected"),
    [
        (ConstantPacer(2), 10, 4.9, (0.1, False)),
        (ConstantPacer(2), 0, 0.0, (0.0, False)),
        (ConstantPacer(2), 1, 0.1, (0.4, False)),
        (ConstantPacer(2), 9, 4.9, (0.0, False)),
        (ConstantPacer(2), 3, 60.0, (0.0, False)),
        (ConstantPacer(2, duration_s=5), 9, 4.4, (0.1, False)),
        (ConstantPacer(2, duration_s=5), 10, 4.9, (0.0, True)),
        (ConstantPacer(2, duration_s=5), 10, 6.0, (0.0, True)),
    ],
    ids=[
        "2/s, 10 sent, 4.9 s elapsed -> wait 100 ms",
        "2/s, nothing sent at the start -> go now",
        "2/s, 1 sent, 100 ms elapsed -> wait 400 ms",
        "2/s, 9 sent, 4.9 s elapsed -> overdue, go now",
        "2/s, 3 sent, a minute late -> go now, no negative wait",
        "2/s for 5 s, 9 sent, 4.4 s elapsed -> wait 100 ms for the last hit",
        "2/s for 5 s, 10 sent -> stop",
        "2/s for 5 s, 10 sent, past the end -> stop",
    ],
)
def test_pace(
    pacer: ConstantPacer, hits: int, elapsed_s: float, expected: tuple[float, bool]
) -> None:
    wait_s, stop = pacer.pace(elapsed_s, hits)
    assert (wait_s, stop) == (pytest.approx(expected[0], abs=1e-12), expected[1])


@pytest.mark.parametrize(
    ("pacer", "planned"),
    [
        (ConstantPacer(2, duration_s=5), 10),
        (ConstantPacer(3, duration_s=1.5), 5),
        (ConstantPacer(10, duration_s=60), 600),
        (ConstantPacer(1, time_unit_s=60, duration_s=90), 2),
        (ConstantPacer(0.5, duration_s=3), 2),
        (ConstantPacer(100, duration_s=0.001), 1),
        (ConstantPacer(3, duration_s=1), 3),
        (ConstantPacer(1000, duration_s=3600), 3_600_000),
        (ConstantPacer(2), None),
    ],
    ids=[
        "2/s for 5 s -> 10 hits, none at 5 s",
        "3/s for 1.5 s -> 5 hits (4.5 rounded up)",
        "10/s for 1 min -> 600 hits",
        "1 per minute for 90 s -> hits at 0 and 60 s",
        "0.5/s for 3 s -> hits at 0 and 2 s",
        "100/s for 1 ms -> only the hit at 0",
        "3/s for 1 s -> 3 hits, the 4th would be exactly at the end",
        "1000/s for an hour -> 3.6 million hits",
        "unbounded -> no count",
    ],
)
def test_planned_hits(pacer: ConstantPacer, planned: int | None) -> None:
    assert pacer.planned_hits() == planned
    if planned is not None:
        last = pacer.due_s(planned - 1)
        assert last is not None and pacer.duration_s is not None and last < pacer.duration_s
        assert pacer.due_s(planned) is None


@pytest.mark.parametrize(
    ("elapsed_s", "rate", "hits"),
    [(-1.0, 0.0, 0.0), (0.0, 2.0, 0.0), (4.9, 2.0, 9.8), (5.0, 0.0, 10.0), (99.0, 0.0, 10.0)],
    ids=[
        "before the start: nothing",
        "at the start: 2/s, nothing yet",
        "at 4.9 s: 9.8 hits expected",
        "at the end: rate 0, all 10 hits",
        "long after: still 10",
    ],
)
def test_rate_and_integral(elapsed_s: float, rate: float, hits: float) -> None:
    pacer = ConstantPacer(2, duration_s=5)
    assert pacer.rate_at(elapsed_s) == rate
    assert pacer.hits_at(elapsed_s) == pytest.approx(hits)


def test_a_stalled_scheduler_catches_up_without_drift() -> None:
    """A fake clock: the executor is stalled for 1 s at t = 2 s, then wakes on time again."""
    pacer = ConstantPacer(10, duration_s=5)
    now_s, started = 0.0, list[float]()
    while True:
        wait_s, stop = pacer.pace(now_s, len(started))
        if stop:
            break
        now_s += wait_s
        if 2.0 <= now_s < 3.0:
            now_s = 3.0  # the stall
        started.append(now_s)
    assert len(started) == pacer.planned_hits() == 50
    late = [i for i, t in enumerate(started) if t != pytest.approx(i / 10)]
    assert late == list(range(20, 30))  # the hits due during the stall, sent at once after it
    assert all(started[i] == 3.0 for i in late)
    assert started[30:] == pytest.approx([i / 10 for i in range(30, 50)])  # back on schedule


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rate": 0}, "rate must be > 0, got 0"),
        ({"rate": -5}, "rate must be > 0, got -5"),
        ({"rate": float("inf")}, "rate must be > 0, got inf"),
        ({"rate": 1, "time_unit_s": 0}, "time_unit_s must be > 0, got 0"),
        ({"rate": 1, "duration_s": 0}, "duration_s must be > 0 or None, got 0"),
    ],
    ids=["zero rate", "negative rate", "infinite rate", "zero time unit", "zero duration"],
)
def test_invalid_arguments_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ConstantPacer(**kwargs)


def test_a_negative_hit_index_is_refused() -> None:
    with pytest.raises(ValueError, match="hit index must be >= 0"):
        ConstantPacer(1).due_s(-1)
