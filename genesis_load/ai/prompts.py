"""Prompt sets: what a conversation user asks each agent, and what a good answer contains.

Owns :class:`Prompt`, :class:`PromptSet` and reading a set from a TOML or JSON file (the
built-in set for the seven GENESIS agents is ``genesis_prompts``). Pure: no I/O
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

__all__ = ["COMPLEXITIES", "Prompt", "PromptSet", "load_prompts"]

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
