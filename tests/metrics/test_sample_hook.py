"""The sample hook isolates listener errors, as Locust's EventHook does."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from genesis_load.metrics.metric import BUILTIN_METRICS, Metric, SampleHook


def test_a_failing_listener_neither_raises_into_the_user_nor_starves_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hook = SampleHook()
    got: list[float] = []

    def broken(metric: Metric, value: float, tags: Mapping[str, str] | None) -> None:
        raise RuntimeError("listener bug")

    def good(metric: Metric, value: float, tags: Mapping[str, str] | None) -> None:
        got.append(value)

    hook.add_listener(broken)
    hook.add_listener(good)
    hook.fire(BUILTIN_METRICS["checks"], 1.0, None)  # must not raise
    hook.fire(BUILTIN_METRICS["checks"], 0.0, None)
    assert got == [1.0, 0.0]
    assert hook.failures == 2
    assert "a sample listener failed on checks" in caplog.text
