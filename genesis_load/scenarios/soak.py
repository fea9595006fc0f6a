"""The suite scenario ``SUITE["soak"]`` (genesis_load.suite.registry), for Locust."""

from genesis_load.scenarios.build import suite_classes

Soak, SoakShape = suite_classes("soak", __name__)

__all__ = ["Soak", "SoakShape"]
