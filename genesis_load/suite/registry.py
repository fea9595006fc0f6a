"""The suite's scenarios: name -> packaged locustfile and preset (a plain dict, STYLE habit 4).

Adding a scenario to the suite (the AI-agent and streaming ones, for instance) is one entry
here plus its locustfile in ``genesis_load/scenarios/``; the report renders any scenario's
results generically.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SUITE", "SuiteScenario"]


@dataclass(frozen=True)
class SuiteScenario:
    name: str
    #: Module name in ``genesis_load/scenarios/`` (also runnable as ``locust -f``).
    locustfile: str
    #: The preset whose schedule sets the planned duration (``executors.presets``).
    preset: str
    description: str


SUITE: dict[str, SuiteScenario] = {
    s.name: s
    for s in (
        SuiteScenario("baseline", "baseline", "baseline", "steady load at the baseline rate"),
        SuiteScenario("stress", "stress", "stress", "a rising rate, to find the breaking point"),
        SuiteScenario("spike", "spike", "spike", "a sudden 15x surge and the recovery after it"),
        SuiteScenario("soak", "soak", "soak", "a long steady run, for leaks and drift"),
        SuiteScenario(
            "benchmarks",
            "benchmarks",
            "benchmarks",
            "the mixed REST/cache workload, per-endpoint figures",
        ),
    )
}
