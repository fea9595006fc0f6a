"""Closed-model users paced at a fixed interval, with coordinated-omission correction.

A closed-model user that paces itself (Locust's ``constant_pacing``) stops sending while the
server is slow, so its latency figures miss exactly the requests that would have suffered
(coordinated omission). Open-model scenarios avoid that by construction; for closed users with a
known interval, HdrHistogram offers an estimate, ``record_corrected_value``: a response slower
than the interval also stands for the requests that were not sent meanwhile. Requests of a
:class:`PacedUser` carry the interval, and the collector records that estimate as
``http_req_duration_corrected`` next to the uncorrected ``http_req_duration``::

    class Api(PacedUser, FastHttpUser):
        pacing_interval_s = 0.1        # one iteration every 100 ms per user

        @task
        def health(self):
            self.client.get("/health")
"""

from __future__ import annotations

from typing import Any, ClassVar

from locust import User, constant_pacing

__all__ = ["PacedUser"]


class PacedUser(User):
    """A user that starts an iteration every ``pacing_interval_s`` (Locust's constant_pacing)."""

    abstract = True
    pacing_interval_s: ClassVar[float] = 1.0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.pacing_interval_s > 0:
            raise ValueError(f"{cls.__name__}.pacing_interval_s must be > 0")
        cls.wait_time = constant_pacing(cls.pacing_interval_s)

    def context(self) -> dict[str, Any]:
        return {**super().context(), "_expected_interval_ms": self.pacing_interval_s * 1000.0}
