"""AI conversations: conversations started per second with two GENESIS agents, streamed.

Each iteration is one whole conversation (1-2 turns, history resent): time to first token,
inter-token latency, tokens, answer quality and conversation goodput are recorded per agent and
complexity (docs/ai.md). Run against the demo target with fast AI (``--ai-speed``):

    genesis-load target --ai-speed 50 &
    genesis-load run examples/ai_conversation.py --host http://127.0.0.1:PORT
"""

from genesis_load import ScenarioShape, ai, arrival_rate_user, set_thresholds
from genesis_load.ai import ConversationPlan
from genesis_load.executors import scenarios_from_config

[chats] = scenarios_from_config(
    {
        "chats": {
            "executor": "constant-arrival-rate",
            "rate": 2,
            "timeUnit": "1s",
            "duration": "4s",
            "preAllocatedVUs": 4,
            "maxVUs": 12,
        }
    }
)

set_thresholds(
    {
        "ai_response_time": ["p(95)<20000"],
        "ai_quality": ["avg>0.85"],
        "ai_goodput": ["rate>0.9"],
    }
)


class Agents(ai.GenesisAgentUser):
    abstract = True  # scheduled below: each iteration holds one conversation (its @task)
    agents = ("BLAZE", "SAGE")  # equally weighted (a name -> weight mapping works too)
    plan = ConversationPlan(turns=(1, 2), complex_share=0.3, think_time_s=(0.0, 0.1))


AgentsVU = arrival_rate_user(Agents, chats, "AgentsVU")


class Shape(ScenarioShape):
    user_classes = (AgentsVU,)
