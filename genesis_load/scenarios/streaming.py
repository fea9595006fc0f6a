"""The suite scenario ``SUITE["streaming"]`` (genesis_load.suite.registry), for Locust."""

from genesis_load.scenarios.build import suite_classes

Streaming, StreamingWs, StreamingShape = suite_classes("streaming", __name__)

__all__ = ["Streaming", "StreamingShape", "StreamingWs"]
