"""The GENESIS suite's scenarios: one entry each, in one plain dict (STYLE habit 4).

Owns what a suite scenario is: its schedule (a preset of :mod:`genesis_load.executors.presets`),
the user class whose tasks each iteration runs, its default thresholds and a description. The
packaged locustfiles (``genesis_load/scenarios/NAME.py``, two lines each) build their Locust
classes from an entry; the suite runner reads the same entry for the planned duration and the
locustfile to run; the report renders any scenario's results generically. No Locust here: the
user class is named by its import path and imported only by the locustfile.

Adding a scenario (the AI-agent and streaming ones, for instance) is one entry below plus its
two-line packaged locustfile (copy ``genesis_load/scenarios/spike.py``; a test checks both)::

    "chat": SuiteScenario(
        "chat", preset="baseline", user="genesis_load.users:GenesisChatUser",
        thresholds=SEED_THRESHOLDS, description="the AI agents over token streams",
    ),
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["SEED_CACHE_THRESHOLDS", "SEED_THRESHOLDS", "SUITE", "SuiteScenario"]

#: The seed's latency and error targets (p50 < 100 ms, p95 < 500 ms, p99 < 1000 ms,
#: errors < 1%), default thresholds of every suite scenario.
SEED_THRESHOLDS: Mapping[str, Any] = {
    "http_req_duration": ["med<100", "p(95)<500", "p(99)<1000"],
    "http_req_failed": ["rate<0.01"],
}

#: The seed judged the cache hit rate (> 90%) on its benchmark suite, a long steady run with a
#: warm cache; a short or cold run would fail it for reasons that say nothing of the cache.
SEED_CACHE_THRESHOLDS: Mapping[str, Any] = {**SEED_THRESHOLDS, "cache_hit": ["rate>0.9"]}

#: The closed-model user class whose tasks every suite scenario's iterations run.
_REST_MIX = "genesis_load.users:GenesisApiUser"


@dataclass(frozen=True)
class SuiteScenario:
    name: str
    #: The preset (``executors.presets``) that is this scenario's schedule.
    preset: str
    #: ``"module:Class"`` of the Locust user whose @task methods an iteration picks from.
    user: str
    #: The scenario's own k6 thresholds (a profile's are added to them).
    thresholds: Mapping[str, Any]
    description: str

    @property
    def class_name(self) -> str:
        """The Locust user class's name (``spike`` -> ``Spike``); its shape is ``SpikeShape``."""
        return "".join(part.capitalize() for part in self.name.split("_"))


SUITE: dict[str, SuiteScenario] = {
    "baseline": SuiteScenario(
        "baseline", "baseline", _REST_MIX, SEED_THRESHOLDS, "steady load at the baseline rate"
    ),
    "stress": SuiteScenario(
        "stress", "stress", _REST_MIX, SEED_THRESHOLDS, "a rising rate, to find the breaking point"
    ),
    "spike": SuiteScenario(
        "spike", "spike", _REST_MIX, SEED_THRESHOLDS, "a sudden 15x surge and the recovery after it"
    ),
    "soak": SuiteScenario(
        "soak", "soak", _REST_MIX, SEED_THRESHOLDS, "a long steady run, for leaks and drift"
    ),
    "benchmarks": SuiteScenario(
        "benchmarks",
        "benchmarks",
        _REST_MIX,
        SEED_CACHE_THRESHOLDS,
        "the mixed REST/cache workload, per-endpoint figures",
    ),
}
