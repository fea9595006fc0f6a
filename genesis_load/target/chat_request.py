"""Parsing and validating the two chat request shapes into one ChatRequest.

Agent endpoint body (``POST /api/v1/agents/{name}/chat``; unknown keys are errors)::

    {"message": str, "conversation_id"?: str, "stream"?: bool, "seed"?: int,
     "max_tokens"?: int >= 1, "stream_options"?: {"include_usage": bool}}

OpenAI body (``POST /v1/chat/completions``; other OpenAI keys such as temperature are accepted
and ignored)::

    {"model": agent name (any case), "messages": [{"role", "content"}, ...], "stream"?: bool,
     "stream_options"?: {"include_usage": bool}, "seed"?: int, "max_tokens"?: int >= 1}

For OpenAI bodies the conversation is the ``messages`` list: the last user message is the prompt,
the number of user messages is the turn, and everything before the prompt is history.
Both parsers return ``(ChatRequest | None, problems)``; problems map keys to messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from genesis_load.target.generation import tokenize

__all__ = ["ChatRequest", "parse_agent_body", "parse_openai_body"]

MAX_MESSAGE_CHARS = 32_000
_AGENT_KEYS = ("message", "conversation_id", "stream", "seed", "max_tokens", "stream_options")
_ROLES = ("system", "developer", "user", "assistant", "tool")


@dataclass(frozen=True)
class ChatRequest:
    prompt: str
    stream: bool = False
    include_usage: bool = False
    seed: int = 0
    max_tokens: int | None = None
    conversation_id: str | None = None
    # Only for OpenAI bodies, where the client carries the history:
    turn: int = 1
    previous_prompt: str | None = None
    history_tokens: int = 0


@dataclass(frozen=True)
class _Options:
    stream: bool
    include_usage: bool
    seed: int
    max_tokens: int | None


def _common(body: Mapping[str, object], problems: dict[str, str]) -> _Options:
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        problems["stream"] = "must be true or false"
    options = body.get("stream_options")
    include_usage = False
    if options is not None:
        usage = options.get("include_usage", False) if isinstance(options, Mapping) else None
        if not isinstance(usage, bool):
            problems["stream_options"] = 'must be an object like {"include_usage": true}'
        include_usage = usage is True
    seed = body.get("seed", 0)
    if seed is None:
        seed = 0
    if isinstance(seed, bool) or not isinstance(seed, int):
        problems["seed"] = "must be an integer"
        seed = 0
    max_tokens = body.get("max_tokens", body.get("max_completion_tokens"))
    if max_tokens is not None and (
        isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1
    ):
        problems["max_tokens"] = "must be an integer >= 1"
        max_tokens = None
    return _Options(
        stream=stream is True,
        include_usage=include_usage,
        seed=seed,
        max_tokens=max_tokens,
    )


def parse_agent_body(body: object) -> tuple[ChatRequest | None, dict[str, str]]:
    if not isinstance(body, Mapping):
        return None, {"(body)": "must be a JSON object"}
    problems: dict[str, str] = {}
    for key in body:
        if key not in _AGENT_KEYS:
            problems[str(key)] = f"unknown field (expected {', '.join(_AGENT_KEYS)})"
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        problems["message"] = "required: a non-empty string"
    elif len(message) > MAX_MESSAGE_CHARS:
        problems["message"] = f"must be at most {MAX_MESSAGE_CHARS} characters"
    conversation_id = body.get("conversation_id")
    if conversation_id is not None and (
        not isinstance(conversation_id, str) or not 1 <= len(conversation_id) <= 128
    ):
        problems["conversation_id"] = "must be a string of 1 to 128 characters"
    common = _common(body, problems)
    if problems:
        return None, problems
    return ChatRequest(
        prompt=str(message),
        conversation_id=conversation_id if isinstance(conversation_id, str) else None,
        stream=common.stream,
        include_usage=common.include_usage,
        seed=common.seed,
        max_tokens=common.max_tokens,
    ), problems


def _content_text(content: object) -> str | None:
    """Message content as text: a string, or OpenAI content parts of type text."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [p.get("text") for p in content if isinstance(p, Mapping)]
        if texts and all(isinstance(t, str) for t in texts):
            return "".join(str(t) for t in texts)
    return None


def parse_openai_body(body: Mapping[str, object]) -> tuple[ChatRequest | None, dict[str, str]]:
    problems: dict[str, str] = {}
    messages = body.get("messages")
    texts: list[tuple[str, str]] = []
    if not isinstance(messages, list) or not messages:
        problems["messages"] = "required: a non-empty list of {role, content} objects"
    else:
        for i, msg in enumerate(messages):
            role = msg.get("role") if isinstance(msg, Mapping) else None
            text = _content_text(msg.get("content")) if isinstance(msg, Mapping) else None
            if role not in _ROLES or text is None:
                problems[f"messages[{i}]"] = f"needs role in {_ROLES} and string content"
            else:
                texts.append((str(role), text))
        if not problems and not any(role == "user" for role, _ in texts):
            problems["messages"] = "must contain at least one user message"
    common = _common(body, problems)
    if problems:
        return None, problems
    last_user = max(i for i, (role, _) in enumerate(texts) if role == "user")
    users = [text for role, text in texts if role == "user"]
    return ChatRequest(
        prompt=texts[last_user][1],
        turn=len(users),
        previous_prompt=users[-2] if len(users) > 1 else None,
        history_tokens=sum(len(tokenize(text)) for _, text in texts[:last_user]),
        stream=common.stream,
        include_usage=common.include_usage,
        seed=common.seed,
        max_tokens=common.max_tokens,
    ), problems
