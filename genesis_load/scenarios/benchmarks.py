"""The suite scenario ``SUITE["benchmarks"]`` (genesis_load.suite.registry), for Locust."""

from genesis_load.scenarios.build import suite_classes

Benchmarks, BenchmarksShape = suite_classes("benchmarks", __name__)

__all__ = ["Benchmarks", "BenchmarksShape"]
