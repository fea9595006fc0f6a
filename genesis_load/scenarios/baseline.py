"""The suite scenario ``SUITE["baseline"]`` (genesis_load.suite.registry), for Locust."""

from genesis_load.scenarios.build import suite_classes

Baseline, BaselineShape = suite_classes("baseline", __name__)

__all__ = ["Baseline", "BaselineShape"]
