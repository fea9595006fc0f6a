"""``genesis_load.run()``: a bounded in-process run returning a typed Result, leaving nothing.

Runs real Locust users against the demo target in this process (started by ``run()`` itself or
by the session fixture), twice, counting live greenlets, open file descriptors and OS threads
before and after.
"""

from __future__ import annotations

import gc
import threading

import greenlet
import psutil
import pytest
from locust import FastHttpUser, task

import genesis_load
from genesis_load import ConfigError, check
from genesis_load.runapi import Result
from genesis_load.target import TargetProcess


class Health(FastHttpUser):
    @task
    def health(self) -> None:
        r = self.client.get("/health")
        check(r, {"status is 200": lambda r: r.status_code == 200})


def _alive_greenlets() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, greenlet.greenlet) and not o.dead and o)


def _footprint() -> tuple[int, int, int, int]:
    proc = psutil.Process()
    return _alive_greenlets(), proc.num_fds(), proc.num_threads(), threading.active_count()


@pytest.mark.slow
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket object:pytest.PytestUnraisableExceptionWarning"
)
def test_run_twice_returns_typed_results_and_leaves_nothing_behind() -> None:
    def both() -> tuple[Result, Result]:
        open_model = genesis_load.run(
            Health,
            rate=40,
            duration="2s",
            thresholds={"http_req_duration": ["p(95)<1000"], "checks": ["rate>0.99"]},
            submetrics=["http_req_duration{name:/health}"],
        )
        return open_model, genesis_load.run(Health, users=2, duration=1.5)

    # warm-up: Locust's lazy module state, and gevent's process-wide DNS thread pool growing
    # to the concurrency the runs need (a bounded pool, not a per-run resource)
    both()
    before = _footprint()
    open_model, closed_model = both()
    after = _footprint()
    assert after == before, "greenlets, fds, OS threads, threading threads before vs after"

    assert isinstance(open_model, Result)
    assert open_model.passed and open_model.ended == "completed" and open_model.exit_code == 0
    duration = open_model.metric("http_req_duration")
    assert 0 < duration.p(50) <= duration.p(95) <= duration.p(99.99) <= duration.max
    assert open_model.metric("http_reqs").count == pytest.approx(80, abs=2)
    assert open_model.metric("http_req_duration{name:/health}").count == duration.count
    assert open_model.metric("http_req_failed").rate == 0
    assert open_model.checks == {"status is 200": 1.0}
    assert {t.expression for t in open_model.thresholds} == {"p(95)<1000", "rate>0.99"}
    assert open_model.series and open_model.meta.ended == "completed"

    assert closed_model.passed
    assert closed_model.metric("vus_max").max == 2
    assert closed_model.metric("http_reqs").count > 20  # two VUs looping without pause


@pytest.mark.slow
@pytest.mark.usefixtures("collect_locust_clients")
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket object:pytest.PytestUnraisableExceptionWarning"
)
def test_a_failed_threshold_fails_the_result_and_the_host_is_used(target: TargetProcess) -> None:
    result = genesis_load.run(
        Health,
        rate=20,
        duration="1s",
        host=target.base_url,
        thresholds={"http_req_duration": ["p(95)<0.001"]},
    )
    assert not result.passed and result.exit_code == 99
    assert [t.ok for t in result.failed_thresholds] == [False]
    assert result.meta.host == target.base_url


class NotAUser:
    pass


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"rate": 10, "users": 2, "duration": "1s"}, "not both"),
        ({"rate": -1, "duration": "1s"}, "rate: expected"),
        ({"rate": "10", "duration": "1s"}, "rate: expected"),
        ({"users": 0, "duration": "1s"}, "users: expected"),
        ({"rate": 10, "duration": "ten seconds"}, "invalid duration"),
        ({"rate": 10, "duration": 0}, "more than 0"),
        ({"rate": 10}, "give duration"),
        ({"duration": "1s"}, "rate= (iterations/s) or users="),
        ({"rate": 10, "duration": "1s", "thresholds": ["p(95)<1"]}, "thresholds: expected"),
        ({"rate": 10, "duration": "1s", "submetrics": ["http_req_duration{"]}, "http_req_duration"),
        ({"rate": 10, "duration": "1s", "trend_stats": ["p(200)"]}, "p(200)"),
    ],
    ids=[
        "rate and users together",
        "a negative rate",
        "a rate given as text",
        "zero users",
        "a duration that does not parse",
        "a zero duration",
        "no duration for a plain class",
        "neither rate nor users",
        "thresholds as a list",
        "a malformed sub-metric",
        "an impossible trend stat",
    ],
)
def test_bad_arguments_raise_config_error_before_any_load(
    kwargs: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ConfigError, match=None) as info:
        genesis_load.run(Health, **kwargs)  # type: ignore[arg-type]
    assert fragment in str(info.value)


def test_a_non_user_class_and_an_unknown_scenario_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="expected a Locust User class"):
        genesis_load.run(NotAUser, rate=1, duration="1s")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="unknown suite scenario 'nope'"):
        genesis_load.run("nope")
