"""The GENESIS suite: which scenarios it holds (:mod:`.registry`) and how it runs them.

``registry`` is plain data (no Locust): the packaged locustfiles and the runner read it.
``runner`` runs each scenario as a real ``locust --headless`` process and writes the report;
it is imported on use (it pulls in rich and the report). Profiles are :mod:`genesis_load.profiles`.
"""

from .registry import SEED_CACHE_THRESHOLDS, SEED_THRESHOLDS, SUITE, SuiteScenario

__all__ = ["SEED_CACHE_THRESHOLDS", "SEED_THRESHOLDS", "SUITE", "SuiteScenario"]
