"""``GenesisApiUser``: the REST traffic mix of the seed's baseline and benchmark scenarios.

Owns the request mix and naming (parameterised URLs are grouped under one ``name`` such as
``/api/v1/users/{id}``, so per-endpoint figures stay readable). Pacing belongs to the shape or
executor that runs it, not here; ``wait_time`` defaults to a constant throughput per user.

Hot reads use a small skewed id set so that a healthy cache serves most of them, as a real
product's popular items would be.
"""

from __future__ import annotations

import random

from locust import FastHttpUser, constant_throughput, task

import genesis_load  # noqa: F401  (installs the HDR listeners)

__all__ = ["GenesisApiUser"]

_HOT_WORKOUTS = 50
_USERS = 1000
_KINDS = ("run", "ride", "strength", "yoga", "hiit")


class GenesisApiUser(FastHttpUser):
    """REST reads, cached reads and writes against a GENESIS-like API."""

    abstract = False
    wait_time = constant_throughput(5)

    def _hot_id(self) -> int:
        # Skewed toward low ids: most reads hit a small working set, like real traffic.
        return min(int(random.paretovariate(1.2)), _HOT_WORKOUTS)

    @task(1)
    def health(self) -> None:
        self.client.get("/health", name="/health")

    @task(5)
    def cached_workout(self) -> None:
        self.client.get(
            f"/api/v1/cached/workouts/{self._hot_id()}", name="/api/v1/cached/workouts/{id}"
        )

    @task(2)
    def get_user(self) -> None:
        uid = random.randint(1, _USERS)
        self.client.get(f"/api/v1/users/{uid}", name="/api/v1/users/{id}")

    @task(1)
    def list_plans(self) -> None:
        self.client.get("/api/v1/plans?limit=20", name="/api/v1/plans")

    @task(1)
    def create_workout(self) -> None:
        self.client.post(
            "/api/v1/workouts",
            json={
                "user_id": random.randint(1, _USERS),
                "kind": random.choice(_KINDS),
                "duration_min": random.randint(10, 90),
                "calories": random.randint(50, 900),
                "started_at": "2026-11-27T07:30:00",
            },
            name="/api/v1/workouts",
        )
