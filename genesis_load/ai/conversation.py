"""One conversation: an agent, a ``conversation_id``, turns with think time between them.

Owns the conversation-level metrics: ``ai_conversations_active`` (a gauge of this process's
conversations in progress, per Locust environment), ``ai_conversation_duration`` (first
request sent -> last turn ended, think times included) and ``ai_goodput`` (1 when every turn
was answered and met its targets, else 0), all tagged ``agent``. A failed turn ends the
conversation (the history would be wrong); the user goes on with its next one.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import gevent

from . import _metrics as m
from .chat_turn import ChatTurns, TurnOutcome
from .prompts import PromptSet

__all__ = ["ConversationPlan", "ConversationResult", "run_conversation"]

_ACTIVE: WeakKeyDictionary[Any, list[int]] = WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class ConversationPlan:
    """How a conversation goes: turns (inclusive range), complex share, think time (s)."""

    turns: tuple[int, int] = (2, 4)
    complex_share: float = 0.3
    think_time_s: tuple[float, float] = (1.0, 3.0)


@dataclass(frozen=True, slots=True)
class ConversationResult:
    agent: str
    conversation_id: str
    turns: tuple[TurnOutcome, ...]
    good: bool
    duration_ms: float


def run_conversation(
    environment: Any,
    chat: ChatTurns,
    prompts: PromptSet,
    agent: str,
    plan: ConversationPlan,
    rng: random.Random,
    sleep: Callable[[float], object] = gevent.sleep,
) -> ConversationResult:
    """Hold one conversation with ``agent`` to its end; record it; never raise a turn failure."""
    cid = f"conv-{uuid.uuid4().hex[:16]}"
    n_turns = rng.randint(*plan.turns)
    tags = {"agent": agent}
    active = _ACTIVE.setdefault(environment, [0])
    active[0] += 1
    m.CONVERSATIONS_ACTIVE.add(active[0])
    history: list[tuple[str, str]] = []
    outcomes: list[TurnOutcome] = []
    start_s = time.perf_counter()
    try:
        for i in range(n_turns):
            if i:
                sleep(rng.uniform(*plan.think_time_s))
            prompt = prompts.pick(agent, plan.complex_share, rng)
            outcome = chat.turn(prompt, history, cid)
            outcomes.append(outcome)
            if not outcome.ok:
                break
            history.append((prompt.text, outcome.text))
    finally:
        active[0] -= 1
        m.CONVERSATIONS_ACTIVE.add(active[0])
    duration_ms = (time.perf_counter() - start_s) * 1000.0
    good = len(outcomes) == n_turns and all(o.good for o in outcomes)
    m.CONVERSATION_DURATION.add(duration_ms, tags)
    m.GOODPUT.add(good, tags)
    return ConversationResult(agent, cid, tuple(outcomes), good, duration_ms)
