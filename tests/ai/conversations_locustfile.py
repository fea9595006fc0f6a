"""Conversations with all seven demo-target agents, short think times (tests/ai e2e)."""

import genesis_load  # noqa: F401  (the HDR listeners and options)
from genesis_load import ai
from genesis_load.ai import ConversationPlan


class Agents(ai.GenesisAgentUser):  # ai.X: a user class imported by name would run too
    plan = ConversationPlan(turns=(2, 3), complex_share=0.3, think_time_s=(0.05, 0.2))
