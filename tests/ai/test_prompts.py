"""Prompt sets: the built-in GENESIS set, picking, and prompt files (no I/O but tmp files)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from genesis_load.ai import GENESIS_PROMPTS, load_prompts
from genesis_load.errors import ConfigError
from genesis_load.target.agents import AGENTS
from genesis_load.target.generation import classify, find_keywords


def test_the_builtin_set_matches_the_demo_targets_agents() -> None:
    assert GENESIS_PROMPTS.agents == tuple(AGENTS)
    for p in GENESIS_PROMPTS.prompts:
        assert classify(p.text) == p.complexity, p.text
        assert set(p.expect) == set(find_keywords(AGENTS[p.agent], p.text)) != set(), p.text


def test_pick_draws_complex_at_the_asked_share() -> None:
    rng = random.Random(1)
    picks = Counter(GENESIS_PROMPTS.pick("SAGE", 0.3, rng).complexity for _ in range(2000))
    assert picks["complex"] == pytest.approx(600, abs=80)


def test_a_prompt_file_replaces_the_set(tmp_path: Path) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text(
        '[[prompt]]\nagent = "llama3"\ntext = "Name a prime."\nexpect_regex = "\\\\d+"\n'
        '[[prompt]]\nagent = "llama3"\ntext = "Plan it"\ncomplexity = "complex"\njson = true\n'
    )
    prompts = load_prompts(toml)
    assert prompts.agents == ("llama3",)
    assert prompts.prompts[0].expect_regex == r"\d+" and prompts.prompts[1].json
    js = tmp_path / "p.json"
    js.write_text('{"prompt": [{"agent": "m", "text": "hi", "expect": ["hello"]}]}')
    assert load_prompts(js).prompts[0].expect == ("hello",)


def test_a_bad_prompt_file_names_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[prompt]]\ntext = ""\ncomplexity = "hard"\nexpect_regex = "("\ncolour = 1\n'
        '[[prompt]]\nagent = "m"\ntext = "ok"\nexpect = "x"\njson = "yes"\n'
    )
    with pytest.raises(ConfigError) as err:
        load_prompts(bad)
    text = str(err.value)
    for where in ("prompt[0].agent", "prompt[0].text", "prompt[0].complexity",
                  "prompt[0].expect_regex", "prompt[0].colour", "prompt[1].expect",
                  "prompt[1].json"):  # fmt: skip
        assert where in text, where
    with pytest.raises(ConfigError, match="cannot read"):
        load_prompts(tmp_path / "missing.toml")
