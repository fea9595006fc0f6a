"""The seven agents over plain JSON: answers, determinism, history, validation."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from target_helpers import post

from genesis_load.target import TargetProcess

AGENT_NAMES = ["BLAZE", "SAGE", "NOVA", "SPARK", "STELLA", "WAVE", "NEXUS"]


def chat(target: TargetProcess, agent: str, **body: Any) -> requests.Response:
    return post(f"{target.base_url}/api/v1/agents/{agent}/chat", body)


def test_agent_list(target: TargetProcess) -> None:
    agents = requests.get(f"{target.base_url}/api/v1/agents", timeout=5).json()["agents"]
    assert [a["name"] for a in agents] == AGENT_NAMES
    assert all(a["keywords"] and a["domain"] and a["speed"] > 0 for a in agents)


@pytest.mark.parametrize("agent", AGENT_NAMES)
def test_answer_mentions_every_topic_keyword_in_the_prompt(
    target: TargetProcess, agent: str
) -> None:
    info = {a["name"]: a for a in requests.get(f"{target.base_url}/api/v1/agents").json()["agents"]}
    keywords = info[agent]["keywords"][:2]
    response = chat(target, agent.lower(), message=f"Tips on {keywords[0]} and {keywords[1]}?")
    assert response.status_code == 200
    body = response.json()
    assert body["agent"] == agent and body["complexity"] == "simple"
    assert body["keywords"] == keywords
    assert all(kw in body["answer"] for kw in keywords)
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert body["generation_ms"] > 0 and body["finish_reason"] == "stop"
    assert response.headers["X-Conversation-Id"] == body["conversation_id"]


@pytest.mark.parametrize(
    ("message", "complexity"),
    [
        ("How much water?", "simple"),
        ("Compare creatine and whey for me", "complex"),
        ("What should I eat? And when?", "complex"),
    ],
    ids=["short question is simple", "comparison is complex", "two questions are complex"],
)
def test_complexity_is_decided_from_the_prompt(
    target: TargetProcess, message: str, complexity: str
) -> None:
    assert chat(target, "NOVA", message=message).json()["complexity"] == complexity


def test_same_agent_prompt_and_seed_give_the_same_answer(target: TargetProcess) -> None:
    answers = [chat(target, "STELLA", message="squat form?", seed=3).json()["answer"] for _ in "ab"]
    assert answers[0] == answers[1]
    other_seeds = {
        chat(target, "STELLA", message="squat form?", seed=s).json()["answer"] for s in range(4, 9)
    }
    assert len(other_seeds | {answers[0]}) > 1


def test_conversation_keeps_history_server_side(target: TargetProcess) -> None:
    first = chat(target, "SAGE", message="My sleep is poor").json()
    second = chat(
        target, "SAGE", message="What about breathing?", conversation_id=first["conversation_id"]
    ).json()
    assert (first["turn"], second["turn"]) == (1, 2)
    assert second["conversation_id"] == first["conversation_id"]
    assert "turn 2" in second["answer"] and "sleep" in second["answer"]
    assert second["usage"]["prompt_tokens"] > first["usage"]["total_tokens"]


def test_max_tokens_cuts_the_answer(target: TargetProcess) -> None:
    body = chat(target, "WAVE", message="posture?", max_tokens=4).json()
    assert body["usage"]["completion_tokens"] == 4 and body["finish_reason"] == "length"


@pytest.mark.parametrize(
    ("body", "bad_fields"),
    [
        ({}, {"message"}),
        ({"message": "  "}, {"message"}),
        ({"message": "hi", "stream": "yes"}, {"stream"}),
        ({"message": "hi", "seed": 1.5}, {"seed"}),
        ({"message": "hi", "stream_options": {"include_usage": 1}}, {"stream_options"}),
        ({"message": "hi", "temperature": 0.2}, {"temperature"}),
        ({"message": 3, "max_tokens": 0}, {"message", "max_tokens"}),
    ],
    ids=[
        "missing message",
        "blank message",
        "stream not a boolean",
        "seed not an integer",
        "include_usage not a boolean",
        "unknown field",
        "every problem at once",
    ],
)
def test_invalid_chat_bodies_name_the_fields(
    target: TargetProcess, body: dict[str, Any], bad_fields: set[str]
) -> None:
    response = chat(target, "BLAZE", **body)
    assert response.status_code == 400
    assert set(response.json()["problems"]) == bad_fields


def test_unknown_agent_is_404(target: TargetProcess) -> None:
    response = chat(target, "HAL9000", message="open the pod bay doors")
    assert response.status_code == 404
    assert "HAL9000" in response.json()["error"]


def test_invalid_json_is_400(target: TargetProcess) -> None:
    response = requests.post(f"{target.base_url}/api/v1/agents/BLAZE/chat", data=b"{", timeout=5)
    assert response.status_code == 400 and "(body)" in response.json()["problems"]
