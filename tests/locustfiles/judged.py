"""Test locustfile: checks, groups, and thresholds taken from the THRESHOLDS_JSON env var."""

import json
import os

from locust import FastHttpUser, constant, task

from genesis_load import check, group, set_thresholds

set_thresholds(json.loads(os.environ.get("THRESHOLDS_JSON", "{}")), "THRESHOLDS_JSON")


class Judged(FastHttpUser):
    wait_time = constant(0.05)

    @task
    def onboarding(self) -> None:
        with group("onboarding"):
            r = self.client.get("/health", name="/health")
            check(
                r,
                {
                    "status is 200": lambda r: r.status_code == 200,
                    "says ok": lambda r: r.json()["status"] == "ok",
                },
            )
            self.client.get("/api/v1/plans?limit=5", name="/api/v1/plans")
