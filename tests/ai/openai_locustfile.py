"""An OpenAI-compatible server with an API key from $GL_AI_KEY (tests/ai secret test)."""

import genesis_load  # noqa: F401  (the HDR listeners and options)
from genesis_load import ai
from genesis_load.ai import ConversationPlan, Prompt, PromptSet


class Chat(ai.OpenAIChatUser):  # ai.X: a ready user class imported by name would run too
    api_key_env = "GL_AI_KEY"
    api_key_required = True
    prompts = PromptSet([Prompt("ttft5-itl2-tok6", "hi"), Prompt("echoauth", "hi")])
    plan = ConversationPlan(turns=(1, 2), think_time_s=(0.01, 0.05))
    failure_backoff_s = 0.1
