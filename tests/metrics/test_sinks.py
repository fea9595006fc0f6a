"""Sinks merge exactly: merge(split(samples)) == one sink of all samples."""

from __future__ import annotations

import random

import numpy as np
import pytest

from genesis_load.metrics.hdr import HIGHEST_TRACKABLE
from genesis_load.metrics.sinks import (
    CounterSink,
    GaugeSink,
    RateSink,
    TrendSink,
    sink_from_wire,
)


def _lognormal_us(n: int, seed: int) -> list[int]:
    rng = np.random.default_rng(seed)
    return [int(v) for v in rng.lognormal(mean=np.log(50_000), sigma=0.8, size=n)]


@pytest.mark.parametrize("parts", [2, 3, 8], ids=lambda k: f"split into {k} workers")
@pytest.mark.parametrize("via_wire", [False, True], ids=["in memory", "through the wire"])
def test_merge_of_split_equals_one_histogram(parts: int, via_wire: bool) -> None:
    values = _lognormal_us(20_000, seed=parts)
    whole = TrendSink()
    for v in values:
        whole.add(v)
    rng = random.Random(parts)
    shards = [TrendSink() for _ in range(parts)]
    for v in values:
        shards[rng.randrange(parts)].add(v)
    merged = TrendSink()
    for shard in shards:
        merged.merge(TrendSink.from_wire(shard.to_wire()) if via_wire else shard)

    assert list(merged.hist.counts) == list(whole.hist.counts)
    assert (merged.count, merged.total, merged.min, merged.max) == (
        whole.count,
        whole.total,
        whole.min,
        whole.max,
    )
    pcts = [50.0, 90.0, 95.0, 99.0, 99.9]
    assert merged.percentiles(pcts) == whole.percentiles(pcts)


def test_percentiles_match_numpy_within_hdr_precision() -> None:
    values = _lognormal_us(50_000, seed=7)
    sink = TrendSink()
    for v in values:
        sink.add(v)
    arr = np.array(values)
    for p in (50.0, 90.0, 95.0, 99.0, 99.9):
        exact = float(np.percentile(arr, p, method="inverted_cdf"))
        assert abs(sink.percentiles([p])[p] - exact) <= exact * 0.001 + 1, p


def test_percentile_never_exceeds_max_and_p100_is_exact_max() -> None:
    sink = TrendSink()
    for v in (1_000, 2_000, 123_457):
        sink.add(v)
    got = sink.percentiles([0.0, 99.0, 100.0])
    assert got[0.0] == 1_000
    assert got[100.0] == 123_457
    assert got[99.0] <= 123_457


@pytest.mark.parametrize("value", [-1, HIGHEST_TRACKABLE * 4], ids=["negative", "over one hour"])
def test_out_of_range_values_are_counted_not_dropped(value: int) -> None:
    sink = TrendSink()
    sink.add(10)
    sink.add(value)
    assert sink.count == 2
    assert sink.out_of_range == 1
    assert sink.max == max(10, value)
    again = TrendSink.from_wire(sink.to_wire())
    assert again.out_of_range == 1


def test_rate_counter_gauge_merge_exactly() -> None:
    a, b = RateSink(), RateSink()
    for i in range(10):
        (a if i % 2 else b).add(i % 3 == 0)
    a.merge(b)
    assert (a.trues, a.total) == (4, 10)

    c, d = CounterSink(), CounterSink()
    c.add(3)
    d.add(4.5)
    c.merge(d)
    assert (c.value, c.count) == (7.5, 2)

    g, h = GaugeSink(), GaugeSink()
    g.add(5, time_s=1.0)
    h.add(2, time_s=2.0)
    h.add(9, time_s=1.5)
    g.merge(h)
    assert (g.value, g.min, g.max) == (2, 2, 9)


@pytest.mark.parametrize(
    "sink",
    [TrendSink(), RateSink(trues=1, total=3), CounterSink(value=2.0, count=2), GaugeSink()],
    ids=["empty trend", "rate", "counter", "empty gauge"],
)
def test_wire_round_trip(sink: TrendSink | RateSink | CounterSink | GaugeSink) -> None:
    again = sink_from_wire(sink.to_wire())
    assert again.to_wire() == sink.to_wire()


def test_corrected_values_match_hdrhistogram_record_corrected_value() -> None:
    from hdrh.histogram import HdrHistogram

    ours, theirs = TrendSink(), HdrHistogram(1, HIGHEST_TRACKABLE, 3)
    for v in (50_000, 1_000_000, 120_000, 99_999, 100_000, 430_000):
        ours.add_corrected(v, 100_000)
        theirs.record_corrected_value(v, 100_000)
    assert list(ours.hist.counts) == list(theirs.counts)
    assert ours.count == theirs.get_total_count() == 1 + 10 + 2 + 1 + 1 + 5
    assert ours.max == 1_000_000 and ours.min == 20_000
