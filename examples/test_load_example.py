"""A load test as a pytest test (the genesis-load pytest plugin's `load_test` fixture).

    pytest examples/test_load_example.py -p no:anyio

The demo target is started once per session (`genesis_target`) when the users name no host.
"""

import pytest
from locust import FastHttpUser, task

from genesis_load import check


class Api(FastHttpUser):
    @task
    def health(self):
        r = self.client.get("/health")
        check(r, {"status is 200": lambda r: r.status_code == 200})


@pytest.mark.load
def test_health_is_fast_under_50_requests_per_second(load_test):
    result = load_test(Api, rate=50, duration="2s")
    assert result.passed, result.summary()
    assert result.metric("http_req_duration").p(95) < 200  # ms
    assert result.checks == {"status is 200": 1.0}


@pytest.mark.load
def test_two_users_looping_make_no_errors(load_test):
    result = load_test(Api, users=2, duration="2s", thresholds={"http_req_failed": ["rate==0"]})
    assert result.passed, result.failed_thresholds
