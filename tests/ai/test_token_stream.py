"""Reading OpenAI chunks and the per-answer formulas, on made-up arrival times (no I/O)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from genesis_load.ai.token_stream import ChunkLog, turn_figures
from genesis_load.streaming import SSEEvent, StreamFailure


def _event(payload: Any, at_s: float) -> SSEEvent:
    data = payload if isinstance(payload, str) else json.dumps(payload)
    parsed = None if isinstance(payload, str) else payload
    return SSEEvent("message", data, None, parsed, at_s, at_s)


def _chunk(content: str | None = None, finish: str | None = None, **delta: str) -> dict:
    if content is not None:
        delta["content"] = content
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def test_role_chunks_do_not_count_and_formulas_hold() -> None:
    log = ChunkLog()
    sent = 10.0
    for payload, at in [
        (_chunk("", role="assistant"), 10.05),  # role only: not the first token
        (_chunk(" a"), 10.2),
        (_chunk(" b"), 10.25),
        (_chunk(" c"), 10.35),
        (_chunk(finish="stop"), 10.36),
        ({"choices": [], "usage": {"completion_tokens": 3}}, 10.37),
        ("[DONE]", 10.38),
    ]:
        log(_event(payload, at))
    assert log.text == " a b c" and log.finish_reason == "stop" and log.done
    f = turn_figures(sent, log, end_ms=380.0)
    assert f.ttft_ms == pytest.approx(200.0)
    assert f.response_ms == pytest.approx(350.0)  # the last content, not the [DONE]
    assert f.itl_ms == pytest.approx((50.0, 100.0))
    assert (f.tokens, f.token_source) == (3, "usage")
    assert f.tpot_ms == pytest.approx((350.0 - 200.0) / 2)
    assert f.tokens_per_chunk == 1.0
    assert f.tokens_per_s == pytest.approx(3 / 0.35)


def test_no_content_is_timed_to_the_stream_end() -> None:
    log = ChunkLog()
    log(_event(_chunk("", role="assistant"), 1.0))
    log(_event("[DONE]", 1.1))
    f = turn_figures(0.9, log, end_ms=250.0)
    assert (f.response_ms, f.ttft_ms, f.itl_ms, f.tokens, f.tpot_ms) == (250.0, None, (), 0, None)
    assert f.tokens_per_s is None


@pytest.mark.parametrize(
    "payload",
    [[1, 2], {"id": "x"}, {"choices": [{"index": 0}]}],
    ids=["not an object", "no choices", "a choice without delta"],
)
def test_malformed_chunks_are_invalid_data(payload: Any) -> None:
    with pytest.raises(StreamFailure) as err:
        ChunkLog()(_event(payload, 1.0))
    assert err.value.reason == "invalid_data"
