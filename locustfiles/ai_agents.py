"""AI agents: the suite scenario ``SUITE["ai_agents"]`` (genesis_load.suite.registry).

Multi-turn streamed conversations with the seven GENESIS agents (simple and complex prompts,
think time between turns): 15 conversations held at once (the seed's figure, closed model)
and conversations started per second (open model), with the seed's AI thresholds
(``ai_response_time`` p95 < 20 s, mean ``ai_quality`` > 0.85) plus goodput (docs/ai.md).

    locust -f locustfiles/ai_agents.py --host http://127.0.0.1:8765      # web UI
    locust -f locustfiles/ai_agents.py --headless --host ... --profile ci --out json=r.json

The same classes as the packaged ``genesis_load/scenarios/ai_agents.py``.
"""

from genesis_load.scenarios.ai_agents import AiAgents, AiAgentsOpen, AiAgentsShape

__all__ = ["AiAgents", "AiAgentsOpen", "AiAgentsShape"]
