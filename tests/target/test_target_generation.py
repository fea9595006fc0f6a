"""Simulated generation: complexity, determinism, keyword coverage, tokens and timing."""

from __future__ import annotations

import pytest

from genesis_load.target.agents import AGENTS, find_agent
from genesis_load.target.generation import BASE_S, THINK_S, classify, generate, tokenize


@pytest.mark.parametrize(
    ("prompt", "complexity"),
    [
        ("How much protein should I eat?", "simple"),
        ("Can you plan my week?", "complex"),
        ("Compare running and cycling", "complex"),
        ("Analyze my sleep", "complex"),
        ("Explain why my squat stalls", "complex"),
        ("Is rest good? Is sleep good?", "complex"),
        ("word " * 60, "complex"),
        ("Planets are cool", "simple"),
    ],
    ids=[
        "one short question is simple",
        "'plan' makes it complex",
        "'compare' makes it complex",
        "'analyze' makes it complex",
        "'explain why' makes it complex",
        "two questions make it complex",
        "over 240 characters is complex",
        "'plan' inside another word does not count",
    ],
)
def test_classify(prompt: str, complexity: str) -> None:
    assert classify(prompt) == complexity


@pytest.mark.parametrize("text", ["", "Hello, world!", "  hypertrophy 1234 reps\n", "café ☕ ok"])
def test_tokens_concatenate_to_the_text(text: str) -> None:
    assert "".join(tokenize(text)) == text


@pytest.mark.parametrize("name", list(AGENTS))
def test_answers_are_deterministic_and_cover_the_prompt_keywords(name: str) -> None:
    agent = AGENTS[name]
    keywords = agent.keywords[:3]
    prompt = f"Help me with {', '.join(keywords).upper()} please"
    first = generate(agent, prompt, seed=5)
    assert generate(agent, prompt, seed=5) == first
    assert first.keywords == keywords
    assert all(kw in first.text for kw in keywords)
    assert "".join(first.tokens) == first.text


def test_seed_changes_the_answer() -> None:
    agent = AGENTS["NOVA"]
    answers = {generate(agent, "protein and carbs?", seed=s).text for s in range(6)}
    assert len(answers) > 1


def test_later_turns_refer_to_the_turn_and_the_previous_topic() -> None:
    gen = generate(AGENTS["SAGE"], "and breathing?", turn=3, previous_prompt="my sleep is bad")
    assert "turn 3" in gen.text and "sleep" in gen.text


@pytest.mark.parametrize(
    ("prompt", "complexity"),
    [("How much rest?", "simple"), ("Plan my rest week", "complex")],
    ids=["simple", "complex"],
)
def test_timing_scales_with_complexity_agent_speed_and_ai_speed(
    prompt: str, complexity: str
) -> None:
    agent = find_agent("nexus")
    assert agent is not None
    gen = generate(agent, prompt, ai_speed=20, tokens_per_s=40)
    base = BASE_S[complexity] / (agent.speed * 20)
    think = THINK_S[complexity] / (agent.speed * 20)
    assert gen.complexity == complexity
    assert 0.9 * base <= gen.generation_s <= 1.1 * base
    assert 0.9 * think <= gen.first_token_s <= 1.1 * think
    assert gen.token_interval_s == pytest.approx(1 / 800)


def test_max_tokens_cuts_the_answer() -> None:
    gen = generate(AGENTS["BLAZE"], "hiit?", max_tokens=5)
    assert len(gen.tokens) == 5 and gen.finish_reason == "length"
    assert gen.text == "".join(gen.tokens)
