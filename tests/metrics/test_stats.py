from __future__ import annotations

import pytest

from genesis_load.errors import ConfigError
from genesis_load.metrics.sinks import TrendSink
from genesis_load.metrics.stats import parse_trend_stats, trend_values


def test_trend_stats_parse() -> None:
    assert parse_trend_stats("avg, med,p(95),p(99.9),max,count") == (
        "avg",
        "med",
        "p(95)",
        "p(99.9)",
        "max",
        "count",
    )


def test_every_unknown_trend_stat_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as err:
        parse_trend_stats("avg,p95,mean,p(101)")
    text = str(err.value)
    assert "'p95'" in text and "'mean'" in text and "'p(101)'" in text
    assert len(err.value.problems) == 3


def test_trend_values_are_in_milliseconds() -> None:
    sink = TrendSink()
    for us in (10_000, 20_000, 30_000, 40_000):
        sink.add(us)
    values = trend_values(sink, ("avg", "min", "med", "max", "p(100)", "count"))
    assert values["avg"] == 25.0
    assert values["min"] == 10.0
    assert values["max"] == 40.0
    assert values["p(100)"] == 40.0
    assert values["count"] == 4.0
    assert 20.0 <= values["med"] <= 20.02
