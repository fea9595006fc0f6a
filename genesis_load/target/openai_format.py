"""OpenAI chat-completions wire objects: chunks, the usage chunk, completions, errors.

Pure dict builders matching the OpenAI API reference:

* stream chunk: ``{"id","object":"chat.completion.chunk","created","model","choices":[{"index":0,
  "delta":{...},"finish_reason":null|"stop"|"length"}]}`` plus ``"usage":null`` on every chunk
  when ``stream_options.include_usage`` is true;
* usage chunk (only with include_usage): same envelope, ``"choices":[]`` and ``"usage":{...}``;
* completion: ``{"id","object":"chat.completion","created","model","choices":[{"index":0,
  "message":{"role":"assistant","content"},"logprobs":null,"finish_reason"}],"usage"}``;
* error: ``{"error":{"message","type","param","code"}}``.

The stream itself (``data: <chunk>`` frames, then ``data: [DONE]``) is written by ``chat``.
"""

from __future__ import annotations

import uuid

__all__ = ["DONE", "chunk", "completion", "completion_id", "error_body", "usage", "usage_chunk"]

DONE = "[DONE]"


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def chunk(
    cid: str,
    created: int,
    model: str,
    delta: dict[str, str],
    finish_reason: str | None = None,
    *,
    include_usage: bool = False,
) -> dict[str, object]:
    body: dict[str, object] = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
    if include_usage:
        body["usage"] = None
    return body


def usage_chunk(cid: str, created: int, model: str, counts: dict[str, int]) -> dict[str, object]:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [],
        "usage": counts,
    }


def completion(
    cid: str, created: int, model: str, content: str, finish_reason: str, counts: dict[str, int]
) -> dict[str, object]:
    return {
        "id": cid,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": counts,
    }


def error_body(
    message: str,
    *,
    param: str | None = None,
    code: str | None = None,
    error_type: str = "invalid_request_error",
) -> dict[str, object]:
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}
