"""Custom metrics, like k6's `new Trend(...)` and `new Counter(...)`, with thresholds on them.

The time the first byte of the body took (a Trend, in ms) and the items seen (a Counter), tagged
by endpoint; a sub-metric threshold judges one tag value.

    genesis-load run examples/custom_metric.py --host demo
"""

import time

from locust import FastHttpUser

from genesis_load import Counter, ScenarioShape, Trend, set_thresholds
from genesis_load.executors import ScenarioUser, scenarios_from_config

body_ms = Trend("example_body_ms", time=True)
items_seen = Counter("example_items_seen")

[browse] = scenarios_from_config(
    {"browse": {"executor": "constant-vus", "vus": 2, "duration": "4s"}}
)

set_thresholds(
    {
        "example_body_ms": ["p(95)<500"],
        "example_body_ms{endpoint:workouts}": ["max<1000"],
        "example_items_seen": ["count>0"],
    }
)


class Browse(ScenarioUser, FastHttpUser):
    scenario = browse

    def iteration(self):
        for endpoint, path in (("plans", "/api/v1/plans"), ("workouts", "/api/v1/workouts")):
            start = time.perf_counter()
            r = self.client.get(path)
            body_ms.add((time.perf_counter() - start) * 1000, tags={"endpoint": endpoint})
            if r.status_code == 200:
                items_seen.add(len(r.json()["items"]), tags={"endpoint": endpoint})
        time.sleep(0.1)  # think time (gevent-patched)


class Shape(ScenarioShape):
    user_classes = (Browse,)
