"""Multi-turn conversations keep their history on both APIs (the demo target says which turn
it answers: the GENESIS API counts turns by ``conversation_id``, OpenAI's by the messages)."""

from __future__ import annotations

import random

import pytest

from genesis_load.ai import (
    GENESIS_PROMPTS,
    ChatAPI,
    GenesisAgentAPI,
    KeywordScorer,
    OpenAIChatAPI,
    TurnTargets,
)
from genesis_load.ai.chat_turn import ChatTurns, chat_http
from genesis_load.ai.conversation import ConversationPlan, run_conversation
from genesis_load.ai.users import AI_SSE_OPTIONS
from genesis_load.streaming import SSESession
from genesis_load.target import TargetProcess
from tests.ai.conftest import Recorder

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "api", [GenesisAgentAPI(), OpenAIChatAPI()], ids=["GENESIS agent API", "OpenAI API"]
)
def test_every_turn_continues_the_conversation(
    recorder: Recorder, target: TargetProcess, api: ChatAPI
) -> None:
    sse = SSESession(
        recorder.environment, target.base_url, http=chat_http(), options=AI_SSE_OPTIONS
    )
    chat = ChatTurns(sse, api, KeywordScorer(), TurnTargets(), headers={})
    plan = ConversationPlan(turns=(3, 3), think_time_s=(0.0, 0.0))
    result = run_conversation(
        recorder.environment, chat, GENESIS_PROMPTS, "NOVA", plan, random.Random(5)
    )
    assert result.good and [t.ok for t in result.turns] == [True] * 3
    assert "This is turn" not in result.turns[0].text
    assert "This is turn 2 of our conversation" in result.turns[1].text
    assert "This is turn 3 of our conversation" in result.turns[2].text
    assert recorder.values("ai_conversations_active") == [1.0, 0.0]
    assert recorder.values("ai_goodput", agent="NOVA") == [1.0]
    (duration,) = recorder.values("ai_conversation_duration")
    assert duration >= sum(recorder.values("ai_response_time"))
