"""A REST check, k6 style: 20 requests/s for 5 s, checks on every answer, thresholds.

genesis-load run examples/rest_check.py --host demo          # like `k6 run script.js`
locust -f examples/rest_check.py --headless --host http://127.0.0.1:8080
"""

from locust import FastHttpUser

from genesis_load import ScenarioShape, check, group, set_thresholds
from genesis_load.executors import ScenarioUser, scenarios_from_config

[plans] = scenarios_from_config(
    {
        "plans": {
            "executor": "constant-arrival-rate",
            "rate": 20,
            "timeUnit": "1s",
            "duration": "5s",
            "preAllocatedVUs": 5,
            "maxVUs": 20,
        }
    }
)

set_thresholds(
    {
        "http_req_duration": ["p(95)<500"],
        "http_req_failed": ["rate<0.01"],
        "checks": ["rate>0.99"],
    }
)


class Plans(ScenarioUser, FastHttpUser):
    scenario = plans

    def iteration(self):
        with group("browse plans"):
            r = self.client.get("/api/v1/plans")
            check(
                r,
                {
                    "status is 200": lambda r: r.status_code == 200,
                    "has items": lambda r: len(r.json()["items"]) > 0,
                },
            )


class Shape(ScenarioShape):
    user_classes = (Plans,)
