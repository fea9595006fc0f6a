"""Prompt sets: what a conversation user asks each agent, and what a good answer contains.

Owns :class:`Prompt`, :class:`PromptSet`, the built-in set for the seven GENESIS agents
(:data:`GENESIS_PROMPTS`) and reading a replacement from a TOML or JSON file. Pure: no I/O
but the file read, no Locust. A prompt file (every key but ``agent`` and ``text`` optional)::

    [[prompt]]
    agent = "llama3"                    # the agent (GENESIS) or model (OpenAI) it is sent to
    text = "Name three prime numbers."
    complexity = "simple"               # or "complex"; the tag of its samples
    expect = ["2", "3"]                 # words the answer must contain (any case)
    expect_regex = "\\b[0-9]+\\b"       # a regex it must match
    json = false                        # the answer must be valid JSON

A JSON file holds ``{"prompt": [...]}`` with the same keys. Problems are reported all at once.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

__all__ = ["COMPLEXITIES", "GENESIS_PROMPTS", "Prompt", "PromptSet", "load_prompts"]

COMPLEXITIES = ("simple", "complex")
_KEYS = {"agent", "text", "complexity", "expect", "expect_regex", "json"}


@dataclass(frozen=True, slots=True)
class Prompt:
    """One question for one agent, and what its answer must contain to score well."""

    agent: str
    text: str
    complexity: str = "simple"
    expect: tuple[str, ...] = ()
    expect_regex: str | None = None
    json: bool = False


class PromptSet:
    """Prompts by agent and complexity; :meth:`pick` draws one."""

    def __init__(self, prompts: Sequence[Prompt]) -> None:
        if not prompts:
            raise ConfigError("a prompt set needs at least one prompt")
        self.prompts = tuple(prompts)
        self._by: dict[tuple[str, str], list[Prompt]] = {}
        for p in self.prompts:
            self._by.setdefault((p.agent, p.complexity), []).append(p)

    @property
    def agents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.agent for p in self.prompts))

    def pick(self, agent: str, complex_share: float, rng: random.Random) -> Prompt:
        """A prompt for ``agent``: complex with probability ``complex_share`` when it has both."""
        want = "complex" if rng.random() < complex_share else "simple"
        choices = self._by.get((agent, want)) or [p for p in self.prompts if p.agent == agent]
        if not choices:
            raise ConfigError(f"no prompt for agent {agent!r} (have: {', '.join(self.agents)})")
        return rng.choice(choices)


def load_prompts(path: str | Path) -> PromptSet:
    """Read a prompt file (``.toml`` or ``.json``); ConfigError naming every bad entry."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{p}: cannot read the prompt file: {exc}") from exc
    entries = raw.get("prompt") if isinstance(raw, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{p}: expected a non-empty list 'prompt'")
    problems: list[str] = []
    prompts = [q for i, e in enumerate(entries) if (q := _prompt(e, f"{p}: prompt[{i}]", problems))]
    if problems:
        raise ConfigError(problems)
    return PromptSet(prompts)


def _prompt(raw: object, at: str, problems: list[str]) -> Prompt | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{at}: must be a table")
        return None
    before = len(problems)
    problems += [f"{at}.{k}: unknown key" for k in raw if k not in _KEYS]
    for key in ("agent", "text"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            problems.append(f"{at}.{key}: a non-empty string is required")
    complexity = raw.get("complexity", "simple")
    if complexity not in COMPLEXITIES:
        problems.append(f"{at}.complexity: must be simple or complex, got {complexity!r}")
    expect = raw.get("expect", [])
    if not isinstance(expect, list) or not all(isinstance(x, str) for x in expect):
        problems.append(f"{at}.expect: must be a list of strings")
    regex = raw.get("expect_regex")
    if regex is not None:
        try:
            re.compile(str(regex))
        except re.error as exc:
            problems.append(f"{at}.expect_regex: {exc}")
    if not isinstance(raw.get("json", False), bool):
        problems.append(f"{at}.json: must be true or false")
    if len(problems) > before:
        return None
    return Prompt(
        str(raw["agent"]), str(raw["text"]), str(complexity), tuple(expect),
        None if regex is None else str(regex), bool(raw.get("json", False)),
    )  # fmt: skip


def _genesis(agent: str, simple: Sequence[str], complex_: Sequence[str], kw: str) -> list[Prompt]:
    def found(text: str) -> tuple[str, ...]:
        return tuple(w for w in kw.split(",") if re.search(rf"\b{w}\b", text.lower()))

    out = [Prompt(agent, t, "simple", found(t)) for t in simple]
    return out + [Prompt(agent, t, "complex", found(t)) for t in complex_]


#: The built-in set: two simple and two complex questions per GENESIS agent. Each answer of
#: the demo target names every agent keyword of its prompt (docs/target.md), so ``expect``
#: lists them.
GENESIS_PROMPTS = PromptSet([
    *_genesis("BLAZE", ("How short should a hiit session be?", "Is sprint work good for cardio?"),
              ("Plan a four week interval program to improve my running endurance.",
               "Compare tempo runs versus hiit for fat loss and explain why."),
              "hiit,interval,sprint,cardio,endurance,running,fat loss,tempo"),
    *_genesis("SAGE", ("How can I sleep better after late training?",
                       "Any breathing tip for stress?"),
              ("Give me a step by step evening routine for sleep and meditation.",
               "Compare meditation versus breathing drills for anxiety and explain why."),
              "sleep,stress,meditation,breathing,mindfulness,anxiety,rest"),
    *_genesis("NOVA", ("How much protein do I need?", "Should I track calories on rest days?"),
              ("Plan a week of meals with enough protein and carbs for hard training.",
               "Compare a high carbs diet versus high protein for my macros and explain why."),
              "protein,calories,carbs,hydration,meal,diet,macros,vitamins"),
    *_genesis("SPARK", ("How do I keep my motivation up?", "What makes a habit stick?"),
              ("Plan a routine that builds consistency toward my goal over a month.",
               "Compare streak tracking versus discipline for a new habit and explain why."),
              "motivation,habit,goal,consistency,streak,discipline,routine"),
    *_genesis("STELLA", ("How deep should my squat be?", "How many reps build muscle?"),
              ("Plan a strength program with squat, deadlift and bench for twelve weeks.",
               "Compare low reps versus high reps for hypertrophy and explain why."),
              "strength,squat,deadlift,bench,muscle,form,hypertrophy,reps"),
    *_genesis("WAVE", ("Is a daily stretch worth it?", "Can yoga help my posture?"),
              ("Plan a mobility schedule that lowers my injury risk while I train.",
               "Compare yoga versus stretch routines for flexibility and explain why."),
              "mobility,stretch,yoga,flexibility,posture,injury,pain"),
    *_genesis("NEXUS", ("Is my heart rate trend normal?", "How often should I check my progress?"),
              ("Analyze my progress data and plan the next block around recovery.",
               "Compare vo2max versus heart rate metrics for tracking and explain why."),
              "progress,data,trend,heart rate,vo2max,recovery,metrics"),
])  # fmt: skip
