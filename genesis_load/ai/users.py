"""AI conversation users: :class:`AIConversationUser` (abstract), :class:`GenesisAgentUser`
(the demo target's / GENESIS's seven agents) and :class:`OpenAIChatUser` (vLLM, Ollama,
OpenAI or any OpenAI-compatible server).

Each task run is one whole conversation (``conversation``), so in a suite scenario an
iteration is a conversation: a VU-count executor holds N conversations at once (the seed's
15), an arrival-rate executor starts N per second (open model). Class attributes shape it::

    class Llama(OpenAIChatUser):
        host = "http://127.0.0.1:8000"
        agents = {"meta-llama/Llama-3.1-8B-Instruct": 1}
        prompts = load_prompts("prompts.toml")
        api_key_env = "VLLM_API_KEY"          # the variable's name; its value is never logged
        targets = TurnTargets(response_time_ms=10_000, ttft_ms=1_000, quality=0.8)

``agents``: a mapping name -> weight, a list (equal weights) or None (every agent of the
prompt set). Metrics and formulas: docs/ai.md.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import gevent
from locust import User, constant, task
from locust.exception import StopUser

from ..errors import ConfigError
from ..streaming import SSEOptions, SSESession
from .api_key import ApiKey, RedactingEnvironment, require_key
from .apis import ChatAPI, GenesisAgentAPI, OpenAIChatAPI
from .chat_turn import ChatTurns, chat_http
from .conversation import ConversationPlan, ConversationResult, run_conversation
from .genesis_prompts import GENESIS_PROMPTS
from .prompts import PromptSet
from .scoring import KeywordScorer, Scorer
from .targets import TurnTargets

__all__ = ["AIConversationUser", "GenesisAgentUser", "OpenAIChatUser"]

log = logging.getLogger("genesis_load")

#: A token stream: no reconnects (a POST starts a new answer), generous first-token wait.
AI_SSE_OPTIONS = SSEOptions(
    stall_s=30.0, first_event_timeout_s=120.0, timeout_s=300.0, max_reconnects=0
)


class AIConversationUser(User):
    """Abstract: set ``api`` (a :class:`~.apis.ChatAPI`); everything else has a default."""

    abstract = True
    wait_time = constant(0)
    api: ClassVar[ChatAPI]
    prompts: ClassVar[PromptSet] = GENESIS_PROMPTS
    agents: ClassVar[Mapping[str, float] | Sequence[str] | None] = None
    plan: ClassVar[ConversationPlan] = ConversationPlan()
    stream: ClassVar[bool] = True
    scorer: ClassVar[Scorer] = KeywordScorer()
    targets: ClassVar[TurnTargets] = TurnTargets()
    api_key_env: ClassVar[str | None] = None
    api_key_required: ClassVar[bool] = False
    sse_options: ClassVar[SSEOptions] = AI_SSE_OPTIONS
    failure_backoff_s: ClassVar[float] = 1.0
    _warned: ClassVar[bool] = False

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.api_key = ApiKey(self.api_key_env)
        redacting = RedactingEnvironment(environment, self.api_key)
        self.sse = SSESession(
            redacting, self.host or "", http=chat_http(), options=self.sse_options
        )
        self.chat = ChatTurns(
            self.sse, self.api, self.scorer, self.targets,
            headers=self.api_key.headers(), stream=self.stream,
        )  # fmt: skip
        self.rng = random.Random()
        names, weights = _agents(self.agents, self.prompts)
        self._agent_names, self._agent_weights = names, weights
        self.last_conversation: ConversationResult | None = None

    def on_start(self) -> None:
        if self.api_key_required:
            try:
                require_key(self.api_key, type(self).__name__)
            except ConfigError as exc:
                if not type(self)._warned:
                    type(self)._warned = True
                    log.error("%s", exc)
                raise StopUser() from None

    def on_stop(self) -> None:
        self.sse.http.close()

    def pick_agent(self) -> str:
        return self.rng.choices(self._agent_names, self._agent_weights)[0]

    @task
    def conversation(self) -> None:
        result = run_conversation(
            self.environment, self.chat, self.prompts, self.pick_agent(), self.plan, self.rng
        )
        self.last_conversation = result
        if result.turns and not result.turns[-1].ok:
            gevent.sleep(self.failure_backoff_s)


def _agents(
    agents: Mapping[str, float] | Sequence[str] | None, prompts: PromptSet
) -> tuple[list[str], list[float]]:
    if agents is None:
        names, weights = list(prompts.agents), [1.0] * len(prompts.agents)
    elif isinstance(agents, Mapping):
        names, weights = list(agents), [float(w) for w in agents.values()]
    else:
        names, weights = list(agents), [1.0] * len(agents)
    missing = [a for a in names if a not in prompts.agents]
    if missing or not names or not all(w >= 0 for w in weights) or not any(weights):
        raise ConfigError(
            f"agents {names} with weights {weights}: every agent needs prompts in the prompt "
            f"set (missing: {missing or 'none'}; have: {', '.join(prompts.agents)}) and the "
            "weights must be >= 0, not all 0"
        )
    return names, weights


class GenesisAgentUser(AIConversationUser):
    """Conversations with the seven GENESIS agents (the demo target), streamed."""

    abstract = False
    api: ClassVar[ChatAPI] = GenesisAgentAPI()


class OpenAIChatUser(AIConversationUser):
    """Conversations with an OpenAI-compatible server; ``agents`` are model names.

    Sends ``Authorization: Bearer $OPENAI_API_KEY`` when that variable is set; set
    ``api_key_required = True`` to refuse to start without it."""

    abstract = False
    api: ClassVar[ChatAPI] = OpenAIChatAPI()
    api_key_env: ClassVar[str | None] = "OPENAI_API_KEY"
