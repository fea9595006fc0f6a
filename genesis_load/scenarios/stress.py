"""The suite scenario ``SUITE["stress"]`` (genesis_load.suite.registry), for Locust."""

from genesis_load.scenarios.build import suite_classes

Stress, StressShape = suite_classes("stress", __name__)

__all__ = ["Stress", "StressShape"]
