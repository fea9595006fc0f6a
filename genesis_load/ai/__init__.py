"""AI-agent traffic: conversation users with token-level latency, answer quality and goodput.

Owns the ``ai_*`` metrics (``_metrics``; every formula in docs/ai.md) and what produces them:
prompt sets (``prompts``; the built-in one in ``genesis_prompts``), the quality scorer
interface and its default (``scoring``), the two chat APIs (``apis``), reading a token
stream (``token_stream``, on top of :class:`~genesis_load.streaming.SSESession`), one turn
(``chat_turn``), one conversation (``conversation``), latency and quality targets
(``targets``), the API key (``api_key``) and the Locust users (``users``). Streams use
``genesis_load.streaming``, so importing this package imports Locust and gevent (a locustfile
imports them anyway); the users, ``ChatTurns`` and ``run_conversation`` load on first use.
"""

from __future__ import annotations

from .._lazy import lazy_attributes
from .api_key import ApiKey
from .apis import ChatAPI, GenesisAgentAPI, OpenAIChatAPI
from .genesis_prompts import GENESIS_PROMPTS
from .prompts import Prompt, PromptSet, load_prompts
from .scoring import Answer, KeywordScorer, Score, Scorer
from .targets import TurnTargets

__all__ = [
    "GENESIS_PROMPTS",
    "AIConversationUser",
    "Answer",
    "ApiKey",
    "ChatAPI",
    "ChatTurns",
    "ConversationPlan",
    "GenesisAgentAPI",
    "GenesisAgentUser",
    "KeywordScorer",
    "OpenAIChatAPI",
    "OpenAIChatUser",
    "Prompt",
    "PromptSet",
    "Score",
    "Scorer",
    "TurnTargets",
    "load_prompts",
    "run_conversation",
]

_LAZY = {
    "AIConversationUser": ".users",
    "GenesisAgentUser": ".users",
    "OpenAIChatUser": ".users",
    "ChatTurns": ".chat_turn",
    "ConversationPlan": ".conversation",
    "run_conversation": ".conversation",
}


__getattr__ = lazy_attributes(__name__, _LAZY)
