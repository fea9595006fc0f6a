"""``TrendSink.add`` records into its histogram exactly as ``HdrHistogram.record_value``."""

from __future__ import annotations

import random

from hdrh.histogram import HdrHistogram

from genesis_load.metrics.hdr import HIGHEST_TRACKABLE, new_histogram
from genesis_load.metrics.sinks import TrendSink


def _state(h: HdrHistogram) -> tuple[object, ...]:
    return (list(h.counts), h.total_count, h.min_value, h.max_value)


def _values(rnd: random.Random) -> list[int]:
    edges = [0, 1, 2, 1023, 1024, 2047, 2048, 2049, 4095, 4096, HIGHEST_TRACKABLE]
    edges += [HIGHEST_TRACKABLE + 1, 2**40, 2**62, 2**64 + 5, -1, -(2**40)]
    edges += [2**k + d for k in range(1, 45) for d in (-1, 0, 1)]
    out = edges + [rnd.randint(0, 10**7) for _ in range(3000)]
    out += [int(rnd.lognormvariate(8, 3)) for _ in range(3000)]
    rnd.shuffle(out)
    return out


def test_add_matches_record_value_on_every_kind_of_value() -> None:
    rnd = random.Random(15)
    sink, reference = TrendSink(), new_histogram()
    out_of_range = 0
    for value in _values(rnd):
        sink.add(value)
        out_of_range += not reference.record_value(value)
        assert sink.out_of_range == out_of_range, value
    assert _state(sink.hist) == _state(reference)
    assert sink.count == sum(1 for _ in _values(random.Random(15)))


def test_a_histogram_of_another_layout_is_recorded_by_record_value() -> None:
    other = HdrHistogram(1, 1000, 2)
    sink = TrendSink(hist=other)
    reference = HdrHistogram(1, 1000, 2)
    for value in (0, 5, 999, 1000, 5000, 100_000, -3):
        sink.add(value)
        reference.record_value(value)
    assert _state(sink.hist) == _state(reference)
    # swapping the histogram after creation is noticed too
    sink.hist = new_histogram()
    ref2 = new_histogram()
    for value in (7, 70_000):
        sink.add(value)
        ref2.record_value(value)
    assert _state(sink.hist) == _state(ref2)


def test_wire_round_trip_and_merge_still_exact() -> None:
    rnd = random.Random(3)
    a, b, ref = TrendSink(), TrendSink(), new_histogram()
    for i, value in enumerate(_values(rnd)):
        (a if i % 2 else b).add(value)
        ref.record_value(value)
    back = TrendSink.from_wire(a.to_wire())
    back.merge(b)
    assert list(back.hist.counts) == list(ref.counts)
    assert back.hist.get_total_count() == ref.get_total_count()
    assert back.percentiles([50.0, 99.0]) == {
        50.0: ref.get_value_at_percentile(50.0),
        99.0: min(ref.get_value_at_percentile(99.0), back.max),
    }
