"""Simulated AI generation: complexity, deterministic answer text, tokens and timing.

Pure functions, no I/O and no sleeping: ``generate`` returns a Generation describing what to
say and how long it should take; the chat handlers do the waiting and the writing.

Timing model (seconds; ``jitter`` in [0.9, 1.1] is drawn from the same seeded RNG as the text)::

    generation_s  = BASE_S[complexity] * jitter / (agent.speed * ai_speed)      # non-streaming
    first_token_s = THINK_S[complexity] * jitter / (agent.speed * ai_speed)     # streaming TTFT
    token i due   = first_token_s + i / (tokens_per_s * ai_speed)               # streaming pace

Complexity is "complex" when the prompt is long (> 240 chars), asks 2+ questions, or uses a
planning / comparison / analysis word ("plan", "compare", "analyze", "explain why", ...).
The text is a function of (agent, prompt, seed, turn, previous prompt) only, and mentions every
agent keyword found in the prompt.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from genesis_load.target.agents import Agent

__all__ = ["BASE_S", "THINK_S", "Generation", "classify", "find_keywords", "generate", "tokenize"]

BASE_S = {"simple": 12.0, "complex": 18.0}
THINK_S = {"simple": 0.8, "complex": 2.0}
_COMPLEX_WORDS = re.compile(
    r"\b(plan|plans|planning|program|schedule|compare|comparison|versus|vs|analy[sz]e|analysis|"
    r"explain why|why does|why do|step[- ]by[- ]step|trade-?offs?)\b",
    re.IGNORECASE,
)
# Tokens: up to 4 letters or 3 digits with their leading whitespace, or one other character.
# The pieces concatenate back to the exact text.
_TOKEN = re.compile(r"\s*[A-Za-z]{1,4}|\s*\d{1,3}|\s*[^\sA-Za-z\d]|\s+")
_STEPS = (
    "set a baseline this week so we know where you start",
    "schedule three focused sessions and one easy day",
    "check in after two weeks and adjust one variable at a time",
    "protect sleep and recovery on the hardest days",
    "compare the last two weeks and keep what worked",
    "plan a lighter week every fourth week",
)
_CLOSINGS = (
    "Tell me how it goes and we'll adjust.",
    "Check back after your next session.",
    "Small, steady steps win.",
)


@dataclass(frozen=True)
class Generation:
    """What an agent says and how long it takes (already divided by the speed factors)."""

    complexity: str
    text: str
    tokens: tuple[str, ...]
    keywords: tuple[str, ...]
    prompt_tokens: int
    finish_reason: str  # "stop", or "length" when max_tokens cut the answer
    generation_s: float
    first_token_s: float
    token_interval_s: float


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def classify(prompt: str) -> str:
    if len(prompt) > 240 or prompt.count("?") >= 2 or _COMPLEX_WORDS.search(prompt):
        return "complex"
    return "simple"


def find_keywords(agent: Agent, prompt: str) -> tuple[str, ...]:
    """The agent's keywords that occur in the prompt (whole words, any case), in prompt order."""
    lowered = prompt.lower()
    found = []
    for kw in agent.keywords:
        match = re.search(rf"\b{re.escape(kw)}\b", lowered)
        if match:
            found.append((match.start(), kw))
    return tuple(kw for _, kw in sorted(found))


def generate(
    agent: Agent,
    prompt: str,
    *,
    seed: int = 0,
    turn: int = 1,
    previous_prompt: str | None = None,
    history_tokens: int = 0,
    ai_speed: float = 1.0,
    tokens_per_s: float = 40.0,
    max_tokens: int | None = None,
) -> Generation:
    key = f"{agent.name}\x00{seed}\x00{turn}\x00{previous_prompt or ''}\x00{prompt}"
    rng = random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))
    complexity = classify(prompt)
    keywords = find_keywords(agent, prompt)
    text = _compose(agent, rng, complexity, keywords, turn, previous_prompt)
    tokens = tokenize(text)
    finish_reason = "stop"
    if max_tokens is not None and len(tokens) > max_tokens:
        tokens, finish_reason = tokens[:max_tokens], "length"
        text = "".join(tokens)
    jitter = rng.uniform(0.9, 1.1)
    scale = jitter / (agent.speed * ai_speed)
    return Generation(
        complexity=complexity,
        text=text,
        tokens=tuple(tokens),
        keywords=keywords,
        prompt_tokens=history_tokens + len(tokenize(prompt)),
        finish_reason=finish_reason,
        generation_s=BASE_S[complexity] * scale,
        first_token_s=THINK_S[complexity] * scale,
        token_interval_s=1.0 / (tokens_per_s * ai_speed),
    )


def _compose(
    agent: Agent,
    rng: random.Random,
    complexity: str,
    keywords: tuple[str, ...],
    turn: int,
    previous_prompt: str | None,
) -> str:
    parts = [f"{agent.name} here. {rng.choice(agent.openings)}"]
    if turn > 1:
        earlier = find_keywords(agent, previous_prompt or "")
        topic = f"{earlier[0]}" if earlier else "your last question"
        parts.append(f"This is turn {turn} of our conversation, building on {topic}.")
    if keywords:
        for kw in keywords:
            advice = rng.choice(agent.advice).format(kw=kw)
            parts.append(f"On {kw}: {advice}.")
    else:
        focus = rng.sample(agent.keywords, 2)
        parts.append(f"As your coach for {agent.domain}, I'd start with {focus[0]} and {focus[1]}.")
    if complexity == "complex":
        steps = rng.sample(_STEPS, 4)
        parts.append("Here is a plan:")
        parts.extend(f"Step {i}: {step}." for i, step in enumerate(steps, start=1))
        extra = rng.choice(agent.advice).format(kw=rng.choice(keywords or agent.keywords))
        parts.append(f"Why this order? The basics compound, so {extra}.")
    parts.append(rng.choice(_CLOSINGS))
    return " ".join(parts)
