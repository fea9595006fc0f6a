"""The suite scenario ``SUITE["ai_agents"]`` (genesis_load.suite.registry), for Locust."""

from genesis_load.scenarios.build import suite_classes

AiAgents, AiAgentsOpen, AiAgentsShape = suite_classes("ai_agents", __name__)

__all__ = ["AiAgents", "AiAgentsOpen", "AiAgentsShape"]
