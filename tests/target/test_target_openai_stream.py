"""OpenAI chat-completions compatibility: chunk streams (parsed with sseclient-py), completions,
errors, and token pacing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from target_helpers import JSON, chunk_payloads, post, sse_events

from genesis_load.target import TargetProcess

PROMPT = "How do I improve my deadlift form?"


def agent_request(target: TargetProcess, stream: bool, **extra: Any) -> requests.Response:
    body = {"message": PROMPT, "seed": 11, "stream": stream, **extra}
    return requests.post(
        f"{target.base_url}/api/v1/agents/STELLA/chat", json=body, stream=stream, timeout=10
    )


def openai_request(target: TargetProcess, stream: bool, **extra: Any) -> requests.Response:
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": PROMPT}]
    body = {"model": "stella", "messages": messages, "seed": 11, "stream": stream, **extra}
    return requests.post(
        f"{target.base_url}/v1/chat/completions", json=body, stream=stream, timeout=10
    )


def agent_answer(target: TargetProcess) -> str:
    return str(agent_request(target, stream=False).json()["answer"])


def openai_answer(target: TargetProcess) -> str:
    return str(openai_request(target, stream=False).json()["choices"][0]["message"]["content"])


ENDPOINTS = [
    pytest.param(agent_request, agent_answer, id="agent chat endpoint"),
    pytest.param(openai_request, openai_answer, id="/v1/chat/completions"),
]


def check_stream(chunks: list[JSON | str], include_usage: bool) -> tuple[str, JSON | None]:
    """Assert the OpenAI chunk grammar; return (concatenated content, usage or None)."""
    assert chunks[-1] == "[DONE]" and "[DONE]" not in chunks[:-1]
    objects = [c for c in chunks[:-1] if isinstance(c, dict)]
    assert len({c["id"] for c in objects}) == 1 and objects[0]["id"].startswith("chatcmpl-")
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "STELLA" for c in objects)
    assert all(isinstance(c["created"], int) for c in objects)
    assert all(("usage" in c) is include_usage for c in objects)
    first, *content, finish = objects[: len(objects) - include_usage]
    assert first["choices"] == [
        {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
    ]
    assert content, "no content deltas"
    for c in content:
        (choice,) = c["choices"]
        assert choice["finish_reason"] is None and set(choice["delta"]) == {"content"}
    assert finish["choices"] == [{"index": 0, "delta": {}, "finish_reason": "stop"}]
    text = "".join(c["choices"][0]["delta"]["content"] for c in content)
    if not include_usage:
        return text, None
    usage_chunk = objects[-1]
    assert usage_chunk["choices"] == []
    assert usage_chunk["usage"]["completion_tokens"] == len(content)
    return text, usage_chunk["usage"]


@pytest.mark.parametrize("include_usage", [False, True], ids=["without usage", "with usage"])
@pytest.mark.parametrize(("send", "answer"), ENDPOINTS)
def test_stream_is_openai_chunks_that_add_up_to_the_plain_answer(
    target: TargetProcess,
    send: Callable[..., requests.Response],
    answer: Callable[[TargetProcess], str],
    include_usage: bool,
) -> None:
    extra = {"stream_options": {"include_usage": True}} if include_usage else {}
    with send(target, True, **extra) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        text, usage = check_stream(chunk_payloads(response), include_usage)
    assert text == answer(target)
    if usage is not None:
        assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_completion_object(target: TargetProcess) -> None:
    body = openai_request(target, stream=False, max_tokens=6).json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    assert body["model"] == "STELLA"
    (choice,) = body["choices"]
    assert choice["message"]["role"] == "assistant" and choice["finish_reason"] == "length"
    assert body["usage"]["completion_tokens"] == 6


def test_messages_carry_the_conversation(target: TargetProcess) -> None:
    messages = [
        {"role": "user", "content": "I want more protein"},
        {"role": "assistant", "content": "Sure."},
        {"role": "user", "content": [{"type": "text", "text": "And hydration?"}]},
    ]
    body = post(f"{target.base_url}/v1/chat/completions", {"model": "NOVA", "messages": messages})
    content = body.json()["choices"][0]["message"]["content"]
    assert "turn 2" in content and "protein" in content and "hydration" in content


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, 404, "model"),
        ({"messages": [{"role": "user", "content": "hi"}]}, 400, "model"),
        ({"model": "NOVA", "messages": []}, 400, "messages"),
        ({"model": "NOVA", "messages": [{"role": "system", "content": "x"}]}, 400, "messages"),
        ({"model": "NOVA", "messages": [{"role": "wizard", "content": "x"}]}, 400, "messages[0]"),
        (
            {"model": "NOVA", "messages": [{"role": "user", "content": "x"}], "max_tokens": 0},
            400,
            "max_tokens",
        ),
    ],
    ids=[
        "unknown model is 404",
        "missing model",
        "empty messages",
        "no user message",
        "unknown role",
        "max_tokens below 1",
    ],
)
def test_openai_errors(target: TargetProcess, body: JSON, status: int, param: str) -> None:
    response = post(f"{target.base_url}/v1/chat/completions", body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["param"] == param and error["type"] == "invalid_request_error"
    if status == 404:
        assert error["code"] == "model_not_found"


def test_tokens_are_paced_and_first_token_waits_for_thinking(
    start_target: Callable[..., TargetProcess],
) -> None:
    # --ai-speed 10, 40 tokens/s: a token every 2.5 ms; NOVA (speed 1.0) thinks 0.8 s / 10 = 80 ms.
    target = start_target("--ai-speed", "10", "--tokens-per-s", "40")
    body: JSON = {
        "model": "nova",
        "messages": [{"role": "user", "content": "protein?"}],
        "stream": True,
    }
    started = time.monotonic()
    arrivals: list[float] = []
    with requests.post(
        f"{target.base_url}/v1/chat/completions", json=body, stream=True, timeout=10
    ) as response:
        headers_s = time.monotonic() - started
        for _event in sse_events(response):
            arrivals.append(time.monotonic() - started)
    tokens = len(arrivals) - 3  # role, finish and [DONE] frames carry no token
    assert headers_s < arrivals[0]  # headers come before the thinking time is over
    assert arrivals[0] >= 0.9 * 0.8 / 10  # thinking: THINK_S simple 0.8 s, jitter >= 0.9
    assert arrivals[-1] - arrivals[0] >= 0.9 * (tokens - 1) / 400
