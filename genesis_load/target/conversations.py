"""Server-side conversation history for the agent chat endpoint, bounded both ways.

At most ``max_conversations`` conversations are kept (least recently used evicted first) and
each keeps its last ``max_turns`` turns; the turn counter keeps counting past the cap. Owns
nothing about generation: it hands out turn numbers and remembers what was said.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field

__all__ = ["Conversation", "ConversationStore", "Turn"]


@dataclass(frozen=True)
class Turn:
    user: str
    assistant: str
    tokens: int  # prompt + completion tokens of the turn


@dataclass
class Conversation:
    id: str
    agent: str
    turn_count: int = 0
    turns: deque[Turn] = field(default_factory=deque)

    @property
    def history_tokens(self) -> int:
        return sum(t.tokens for t in self.turns)

    @property
    def previous_prompt(self) -> str | None:
        return self.turns[-1].user if self.turns else None


class ConversationStore:
    def __init__(self, max_conversations: int, max_turns: int) -> None:
        self._max_conversations = max_conversations
        self._max_turns = max_turns
        self._conversations: OrderedDict[str, Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._conversations)

    def begin_turn(self, agent: str, conversation_id: str | None) -> tuple[Conversation, int]:
        """Find or create the conversation and reserve the next turn number for it."""
        conv_id = conversation_id or f"conv-{uuid.uuid4().hex[:16]}"
        conv = self._conversations.get(conv_id)
        if conv is None:
            conv = self._conversations[conv_id] = Conversation(
                conv_id, agent, turns=deque(maxlen=self._max_turns)
            )
            while len(self._conversations) > self._max_conversations:
                self._conversations.popitem(last=False)
        else:
            self._conversations.move_to_end(conv_id)
        conv.turn_count += 1
        return conv, conv.turn_count

    def record(self, conv: Conversation, turn: Turn) -> None:
        conv.turns.append(turn)
