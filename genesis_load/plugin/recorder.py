"""The hot path: Locust request events and metric samples into one environment's collector.

Owns turning what users report (``environment.events.request``, custom metrics through
:data:`genesis_load.metrics.metric.samples`, scenario samples through the environment's
:class:`~genesis_load.executors.runs.ScenarioRuns`) into collector records: status, time to
headers, the current ``group``, the ``error`` kind of a failed request (``error_kind``), tasks
that raised (``iteration_errors``), and the ``X-Cache`` / ``Server-Timing`` headers. Nothing here
rolls intervals, judges or writes.

Custom metrics (``Trend("x").add(...)``) are fired process-wide, like Locust's global events.
A sample fired from a Locust user's greenlet belongs to that user's environment (Locust itself
finds a greenlet's user as ``greenlet.args[0]``); a sample fired elsewhere (a background
greenlet, a test's main code) goes to every attached environment. So two environments in one
process never see each other's users' samples.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from typing import Any

import gevent
from locust import User
from locust.env import Environment

from ..checks import current_group
from ..metrics.collector import Collector
from ..metrics.metric import BUILTIN_METRICS, Metric
from ..redact import redact_name
from .error_kind import error_kind
from .headers import cache_hit, server_timings

__all__ = ["Recorder", "owner_environment"]

_CACHE_HIT = BUILTIN_METRICS["cache_hit"]
_ITERATION_ERRORS = BUILTIN_METRICS["iteration_errors"]


def owner_environment() -> Environment | None:
    """The environment of the Locust user running in the current greenlet, if any."""
    args = getattr(gevent.getcurrent(), "args", None)
    if args and isinstance(args[0], User):
        return args[0].environment
    return None


class Recorder:
    """Listeners of one environment; ``collector`` is swapped by the session at test start."""

    def __init__(self, environment: Environment, collector: Collector) -> None:
        self.environment = environment
        self.collector = collector
        self._timings: dict[str, Metric] = {}

    def on_request(
        self,
        request_type: str,
        name: str,
        response_time: float,
        response_length: int,
        response: Any = None,
        context: Mapping[str, Any] | None = None,
        exception: BaseException | None = None,
        **_: Any,
    ) -> None:
        name = redact_name(name)  # a host's ?token=... ends up in Locust's names (HttpUser)
        status = getattr(response, "status_code", 0) or 0
        waiting_ms = None
        # time to response headers: geventhttpclient keeps it as float seconds (its public
        # ``elapsed`` builds a timedelta per call); requests has a timedelta attribute
        elapsed = getattr(response, "_elapsed", None)
        if isinstance(elapsed, float):
            waiting_ms = elapsed * 1000.0
        else:
            elapsed = getattr(response, "elapsed", None)
            if isinstance(elapsed, dt.timedelta):
                waiting_ms = elapsed.total_seconds() * 1000.0
        group = current_group()
        if group or exception is not None:  # one copy of the user's context, only when needed
            context = dict(context or {})
            if group:
                context["group"] = group
            if exception is not None:
                context["error"] = error_kind(exception, status)
        self.collector.record_request(
            request_type,
            name,
            status,
            response_time or 0.0,
            exception is not None,
            response_length or 0,
            context,
            waiting_ms,
        )
        headers = getattr(response, "headers", None)
        if headers:
            self._record_headers(name, headers)

    def _record_headers(self, name: str, headers: Mapping[str, str]) -> None:
        # record_named: the sink of (metric, name) is resolved once per interval, and no
        # {"name": name} dict is built per response
        hit = cache_hit(headers)
        if hit is not None:
            self.collector.record_named(_CACHE_HIT, hit, name)
        timing = headers["Server-Timing"] if "Server-Timing" in headers else None  # noqa: SIM401
        if timing:
            for part, dur_ms in server_timings(timing).items():
                metric = self._timings.get(part)
                if metric is None:
                    metric = self._timings[part] = Metric(
                        f"server_timing_{part}", "trend", "time", f"Server-Timing '{part}'"
                    )
                self.collector.record_named(metric, dur_ms, name)

    def on_user_error(self, user_instance: Any, exception: BaseException, **_: Any) -> None:
        """A task raised: the iteration failed outside any request (Locust's ``user_error``)."""
        tags = {"error": "iteration_exception", "exception": type(exception).__name__}
        self.collector.record(_ITERATION_ERRORS, 1, tags, time.time())

    def on_sample(self, metric: Metric, value: float, tags: Mapping[str, str] | None) -> None:
        """A custom metric's sample (process-wide hook): kept if it is this environment's."""
        owner = owner_environment()
        if owner is None or owner is self.environment:
            self.collector.record(metric, value, tags, time.time())

    def on_scenario_sample(
        self, metric: Metric, value: float, tags: Mapping[str, str] | None
    ) -> None:
        """A sample of this environment's scenarios (always this environment's)."""
        self.collector.record(metric, value, tags, time.time())
