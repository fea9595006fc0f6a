"""Dropped iterations are explained, k6-style: the generator's CPU, or VUs busy waiting."""

from __future__ import annotations

import pytest

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import BUILTIN_METRICS
from genesis_load.plugin.session import _dropped_warning


def _collector(offered: int, dropped: int) -> Collector:
    c = Collector(0.0)
    for _ in range(offered):
        c.record(BUILTIN_METRICS["offered_iterations"], 1, {"scenario": "s"})
    for _ in range(dropped):
        c.record(BUILTIN_METRICS["dropped_iterations"], 1, {"scenario": "s"})
    c.roll(1.0)
    return c


@pytest.mark.parametrize(
    ("cpu", "warned", "cause"),
    [
        (97.0, False, "the load generator was the bottleneck (CPU 97%)"),
        (40.0, True, "the load generator was the bottleneck (CPU 40%)"),
        (None, True, "the load generator was the bottleneck (a worker's CPU passed 90%)"),
        (30.0, False, "every VU was busy waiting for the target (generator CPU 30%)"),
        (None, False, "every VU was busy waiting for the target (no worker's CPU passed 90%)"),
    ],
)
def test_the_warning_names_the_cause(cpu: float | None, warned: bool, cause: str) -> None:
    text = _dropped_warning(_collector(50, 7), cpu, warned)
    assert text is not None
    assert text.startswith("7 iterations of 50 offered were dropped (no VU was free")
    assert cause in text


def test_no_drop_no_warning() -> None:
    assert _dropped_warning(_collector(50, 0), 99.0, True) is None
