"""Several scenarios at once from a k6-style ``scenarios`` table (profiles, locustfiles).

Owns dispatching each entry to its executor family by its ``executor`` key and collecting every
problem of every scenario into one :class:`~genesis_load.errors.ConfigError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ConfigError
from ..pacing.config import EXECUTORS as ARRIVAL_EXECUTORS
from .scenario import Scenario, scenario_from_config
from .vus import VU_EXECUTORS, VUScenario, vu_scenario_from_config

__all__ = ["EXECUTOR_NAMES", "scenarios_from_config"]

#: Every executor name genesis-load runs (k6's six).
EXECUTOR_NAMES = (*ARRIVAL_EXECUTORS, *VU_EXECUTORS)


def scenarios_from_config(
    table: Mapping[str, Any], where: str = "scenarios"
) -> list[Scenario | VUScenario]:
    """Every scenario of the table, or one ConfigError listing all problems of all of them."""
    problems: list[str] = []
    out: list[Scenario | VUScenario] = []
    if not isinstance(table, Mapping) or not table:
        raise ConfigError(f"{where}: expected a non-empty table of scenarios")
    for name, cfg in table.items():
        if not isinstance(cfg, Mapping):
            problems.append(f"{where}.{name}: expected a table, got {cfg!r}")
            continue
        executor = cfg.get("executor")
        try:
            if executor in VU_EXECUTORS:
                out.append(vu_scenario_from_config(str(name), cfg, where))
            elif executor in ARRIVAL_EXECUTORS:
                out.append(scenario_from_config(str(name), cfg, where))
            else:
                problems.append(
                    f"{where}.{name}.executor: unknown executor {executor!r} "
                    f"(known: {', '.join(EXECUTOR_NAMES)})"
                )
        except ConfigError as e:
            problems.extend(e.problems)
    if problems:
        raise ConfigError(problems)
    return out
