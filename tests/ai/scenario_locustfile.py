"""14 conversations held at once for 8 s as a scenario (constant-vus), for the 2-worker test."""

import genesis_load  # noqa: F401  (the HDR listeners and options)
from genesis_load import ScenarioShape, VUScenario, ai, arrival_rate_user
from genesis_load.ai import ConversationPlan


class Agents(ai.GenesisAgentUser):
    abstract = True
    plan = ConversationPlan(turns=(2, 3), complex_share=0.3, think_time_s=(0.05, 0.2))


Held = arrival_rate_user(
    Agents, VUScenario("ai", "constant-vus", vus=14, duration_s=8.0, graceful_stop_s=20.0), "Held"
)


class HeldShape(ScenarioShape):
    user_classes = (Held,)
