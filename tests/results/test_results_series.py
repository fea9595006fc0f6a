"""The results' series: every point's numbers as the series holds them, without wire forms."""

from __future__ import annotations

import math

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import Metric
from genesis_load.metrics.series import IntervalPoint
from genesis_load.results.build import _series

GAUGE = Metric("vus", "gauge")


def _collector(seconds: int) -> Collector:
    c = Collector(start_s=0.0, max_points=64)
    for s in range(seconds):
        for i in range(20):
            c.record_request("GET", f"/n{i % 3}", 200, 1.0 + (i * s) % 7, False, 20)
        c.record(GAUGE, float(s % 4), now_s=float(s))
        c.roll(float(s + 1))
    return c


def test_every_point_is_its_numbers_without_the_wire_forms() -> None:
    c = _collector(40)
    out = _series(c)
    assert (out.max_points, out.coalesced, len(out.points)) == (64, 1, 40)
    for built, point in zip(out.points, c.series.points, strict=True):
        assert (built.start_s, built.end_s) == (point.start_s, point.end_s)
        expected = {
            key: {k: v for k, v in entry.items() if k != "wire"}
            for key, entry in point.entries.items()
        }
        assert built.metrics == expected
        for key, entry in expected.items():  # ints stay ints, floats floats
            assert [type(v) for v in built.metrics[key].values()] == [
                type(v) for v in entry.values()
            ]


def test_equal_floats_share_one_object_but_zeros_keep_their_sign() -> None:
    c = _collector(0)
    for s, value in enumerate([2.5, -0.0, 0.0, math.nan, 2.5]):
        entries = {"x": {"value": value, "max": 2.5, "count": 2}}
        c.series.append(IntervalPoint(float(s), float(s + 1), entries))
    points = _series(c).points
    values = [p.metrics["x"]["value"] for p in points]
    assert values[0] is values[4] is points[1].metrics["x"]["max"]
    assert math.copysign(1.0, values[1]) == -1.0 and math.copysign(1.0, values[2]) == 1.0
    assert math.isnan(values[3])
    assert all(type(p.metrics["x"]["count"]) is int for p in points)
