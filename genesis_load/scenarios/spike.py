"""The suite scenario ``SUITE["spike"]`` (genesis_load.suite.registry), for Locust."""

from genesis_load.scenarios.build import suite_classes

Spike, SpikeShape = suite_classes("spike", __name__)

__all__ = ["Spike", "SpikeShape"]
