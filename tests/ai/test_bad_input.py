"""Bad answers and bad servers: each a failure of a named kind with a clear message, and the
user goes on with its next conversation."""

from __future__ import annotations

import logging

import pytest
from locust.exception import StopUser

from genesis_load.ai import GenesisAgentAPI, KeywordScorer, OpenAIChatAPI, Prompt, TurnTargets
from genesis_load.ai.chat_turn import ChatTurns, chat_http
from genesis_load.ai.prompts import PromptSet
from genesis_load.ai.users import AI_SSE_OPTIONS, OpenAIChatUser
from genesis_load.streaming import SSESession
from genesis_load.target import TargetProcess
from tests.ai.conftest import Recorder

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("model", "reason", "in_message"),
    [
        ("missing", "http_error", "HTTP 404"),
        ("oaierr", "http_error", "max_tokens is too large"),
        ("err200", "error_event", "model overloaded"),
        ("malformed", "invalid_data", "not JSON"),
        ("nonjson", "content_type", "text/plain"),
        ("nodone", "no_done", "without a terminal event"),
    ],
    ids=[
        "unknown model -> http_error (404)",
        "an OpenAI error object with HTTP 400 -> http_error quoting it",
        "an error object after HTTP 200 -> error_event",
        "a chunk that is not JSON -> invalid_data",
        "a 200 that is not a stream -> content_type",
        "finish chunk but no [DONE] -> no_done",
    ],
)
def test_failures_by_kind(
    recorder: Recorder, openai_server: str, model: str, reason: str, in_message: str
) -> None:
    sse = SSESession(recorder.environment, openai_server, http=chat_http(), options=AI_SSE_OPTIONS)
    chat = ChatTurns(sse, OpenAIChatAPI(), KeywordScorer(), TurnTargets(), headers={})
    outcome = chat.turn(Prompt(model, "hi"), [], "c")
    assert not outcome.ok and outcome.reason == reason
    assert in_message in outcome.message, outcome.message
    assert recorder.values("ai_failures", reason=reason) == [1.0]
    assert recorder.values("ai_request_failed") == [1.0]
    assert recorder.values("ai_response_time") == [] and recorder.values("ai_quality") == []


def test_unknown_agent_is_a_404_naming_it(recorder: Recorder, target: TargetProcess) -> None:
    sse = SSESession(
        recorder.environment, target.base_url, http=chat_http(), options=AI_SSE_OPTIONS
    )
    chat = ChatTurns(sse, GenesisAgentAPI(), KeywordScorer(), TurnTargets(), headers={})
    outcome = chat.turn(Prompt("NOBODY", "hi"), [], "c")
    assert (outcome.ok, outcome.reason) == (False, "http_error")
    assert "404" in outcome.message and "unknown agent" in outcome.message


class _Mixed(OpenAIChatUser):
    prompts = PromptSet([Prompt("err200", "hi"), Prompt("ttft5-itl2-tok6", "hi")])
    failure_backoff_s = 0.0


def test_a_failed_turn_ends_the_conversation_and_the_next_one_goes_on(
    recorder: Recorder, openai_server: str
) -> None:
    _Mixed.host = openai_server
    _Mixed.agents = ["err200"]
    user = _Mixed(recorder.environment)
    user.conversation()
    bad = user.last_conversation
    assert bad is not None and not bad.good and len(bad.turns) == 1
    _Mixed.agents = ["ttft5-itl2-tok6"]
    user = _Mixed(recorder.environment)
    user.conversation()
    good = user.last_conversation
    assert good is not None and good.good and all(t.ok for t in good.turns)
    assert len(recorder.values("ai_turns", agent="ttft5-itl2-tok6")) == len(good.turns)
    assert recorder.values("ai_goodput") == [0.0, 1.0]
    assert recorder.values("ai_conversations_active")[-1] == 0.0


def test_a_missing_api_key_stops_the_user_before_any_request(
    recorder: Recorder, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GL_TEST_NO_KEY", raising=False)

    class NeedsKey(OpenAIChatUser):
        host = "http://127.0.0.1:9"
        api_key_env = "GL_TEST_NO_KEY"
        api_key_required = True

    with caplog.at_level(logging.ERROR, logger="genesis_load"), pytest.raises(StopUser):
        NeedsKey(recorder.environment).on_start()
    assert "GL_TEST_NO_KEY is not set" in caplog.text
    assert recorder.requests == [] and recorder.values("ai_turns") == []


def test_json_answers_are_timed_whole_and_failures_still_have_kinds(
    recorder: Recorder, openai_server: str
) -> None:
    sse = SSESession(recorder.environment, openai_server, http=chat_http(), options=AI_SSE_OPTIONS)
    chat = ChatTurns(sse, OpenAIChatAPI(), KeywordScorer(), TurnTargets(), headers={}, stream=False)
    good = chat.turn(Prompt("ttft30-itl5-tok4", "hi"), [], "c")
    assert good.ok and good.text == " tok tok tok tok"
    assert recorder.values("ai_output_tokens", source="usage") == [4.0]
    assert recorder.values("ai_ttft") == [] and recorder.values("ai_itl") == []
    (response_ms,) = recorder.values("ai_response_time")
    assert response_ms >= 30 + 3 * 5
    bad = chat.turn(Prompt("oaierr", "hi"), [], "c")
    assert (bad.ok, bad.reason) == (False, "http_error") and "400" in bad.message
    assert recorder.values("ai_failures", reason="http_error") == [1.0]
