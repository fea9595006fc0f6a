"""The two chat APIs a conversation user speaks: the GENESIS agent API and OpenAI's.

Owns the request of one turn (path, JSON body, the name it is reported under) and the parsing
of a non-streamed answer. Streams are the same OpenAI chunk stream on both (``token_stream``).

* :class:`GenesisAgentAPI`: ``POST /api/v1/agents/{agent}/chat`` with ``message`` and a
  ``conversation_id`` the client picks; the server keeps the history.
* :class:`OpenAIChatAPI`: ``POST {base_path}/chat/completions`` (vLLM, Ollama, OpenAI, the demo
  target): ``model`` is the agent, the whole history is resent in ``messages``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..streaming import StreamFailure
from .prompts import Prompt

__all__ = ["ChatAPI", "ChatCall", "GenesisAgentAPI", "OpenAIChatAPI", "ParsedAnswer"]

#: (user text, assistant text) of the turns so far
History = Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class ChatCall:
    path: str
    body: Mapping[str, Any]
    name: str


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    text: str
    finish_reason: str | None
    tokens: int | None


class ChatAPI(Protocol):
    def call(
        self, prompt: Prompt, history: History, conversation_id: str, stream: bool
    ) -> ChatCall: ...

    def parse(self, body: Any) -> ParsedAnswer: ...


def _usage(body: Mapping[str, Any]) -> int | None:
    usage = body.get("usage")
    tokens = usage.get("completion_tokens") if isinstance(usage, Mapping) else None
    return tokens if isinstance(tokens, int) else None


def _fail(what: str, body: Any) -> StreamFailure:
    if isinstance(body, Mapping) and body.get("error"):
        return StreamFailure("error_event", f"error object: {str(body['error'])[:200]}")
    return StreamFailure("invalid_data", f"{what}: {str(body)[:120]!r}")


@dataclass(frozen=True)
class GenesisAgentAPI:
    """The GENESIS agents: the prompt's ``agent`` is the agent's name."""

    max_tokens: int | None = None

    def call(
        self, prompt: Prompt, history: History, conversation_id: str, stream: bool
    ) -> ChatCall:
        body: dict[str, Any] = {"message": prompt.text, "conversation_id": conversation_id}
        if stream:
            body |= {"stream": True, "stream_options": {"include_usage": True}}
        if self.max_tokens is not None:
            body["max_tokens"] = self.max_tokens
        return ChatCall(f"/api/v1/agents/{prompt.agent}/chat", body, "/api/v1/agents/{name}/chat")

    def parse(self, body: Any) -> ParsedAnswer:
        if not isinstance(body, Mapping) or not isinstance(body.get("answer"), str):
            raise _fail("no 'answer' in the body", body)
        reason = body.get("finish_reason")
        return ParsedAnswer(body["answer"], None if reason is None else str(reason), _usage(body))


@dataclass(frozen=True)
class OpenAIChatAPI:
    """An OpenAI-compatible server: the prompt's ``agent`` is the model name."""

    base_path: str = "/v1"
    max_tokens: int | None = None
    system: str | None = None

    def call(
        self, prompt: Prompt, history: History, conversation_id: str, stream: bool
    ) -> ChatCall:
        messages: list[dict[str, str]] = []
        if self.system:
            messages.append({"role": "system", "content": self.system})
        for user, assistant in history:
            messages += [
                {"role": "user", "content": user},
                {"role": "assistant", "content": assistant},
            ]
        messages.append({"role": "user", "content": prompt.text})
        body: dict[str, Any] = {"model": prompt.agent, "messages": messages}
        if stream:
            body |= {"stream": True, "stream_options": {"include_usage": True}}
        if self.max_tokens is not None:
            body["max_tokens"] = self.max_tokens
        path = f"{self.base_path.rstrip('/')}/chat/completions"
        return ChatCall(path, body, path)

    def parse(self, body: Any) -> ParsedAnswer:
        choices = body.get("choices") if isinstance(body, Mapping) else None
        first = choices[0] if isinstance(choices, list) and choices else None
        message = first.get("message") if isinstance(first, Mapping) else None
        content = message.get("content") if isinstance(message, Mapping) else None
        if not isinstance(content, str) or not isinstance(first, Mapping):
            raise _fail("no choices[0].message.content in the body", body)
        reason = first.get("finish_reason")
        return ParsedAnswer(content, None if reason is None else str(reason), _usage(body))
