"""The default quality scorer, answer by answer (no I/O)."""

from __future__ import annotations

import pytest

from genesis_load.ai import Answer, KeywordScorer, Prompt, Score, Scorer, TurnTargets

HIIT = Prompt("BLAZE", "hiit or sprint?", expect=("hiit", "sprint"))


@pytest.mark.parametrize(
    ("prompt", "answer", "value", "problems"),
    [
        (HIIT, Answer("Do HIIT and a sprint.", "stop"), 1.0, ()),
        (HIIT, Answer("Do hiit.", "stop"), (0.5 + 1 + 1) / 3, ("missing sprint",)),
        (HIIT, Answer("hiit sprint", "length"), 2 / 3, ("truncated",)),
        (HIIT, Answer("hiit sprint", "stop", completed=False), 2 / 3, ("incomplete",)),
        (HIIT, Answer("   ", "stop"), 0.0, ("empty",)),
        (HIIT, Answer("I'm sorry, but I can't help with hiit sprint.", "stop"), 0.0,
         ("refusal or error text",)),
        (Prompt("m", "json please", json=True), Answer('{"a": 1}'), 1.0, ()),
        (Prompt("m", "json please", json=True), Answer('```json\n{"a": 1}\n```'), 1.0, ()),
        (Prompt("m", "json please", json=True), Answer("{a: 1"), 2 / 3, ("not valid JSON",)),
        (Prompt("m", "a number", expect_regex=r"\d+"), Answer("42"), 1.0, ()),
        (Prompt("m", "a number", expect_regex=r"\d+"), Answer("many"), 2 / 3,
         ("regex not matched",)),
        (Prompt("m", "anything"), Answer("sure"), 1.0, ()),
    ],
    ids=[
        "every keyword, any case -> 1",
        "one of two keywords -> coverage 0.5 averaged with the other checks",
        "finish_reason length -> truncated",
        "no [DONE] -> incomplete",
        "whitespace only -> 0",
        "a refusal -> 0",
        "valid JSON asked and given -> 1",
        "fenced JSON counts as JSON",
        "invalid JSON -> 2/3 (JSON 0, not truncated 1, completed 1)",
        "regex matched -> 1",
        "regex not matched -> 2/3",
        "no expectations: only truncation and completion count",
    ],
)  # fmt: skip
def test_keyword_scorer(prompt: Prompt, answer: Answer, value: float, problems: tuple) -> None:
    score = KeywordScorer().score(prompt, answer)
    assert score.value == pytest.approx(value)
    assert score.problems == problems


def test_a_scorer_is_any_object_with_one_method() -> None:
    class Length:
        def score(self, prompt: Prompt, answer: Answer) -> Score:
            return Score(min(1.0, len(answer.text) / 10))

    scorer: Scorer = Length()
    assert scorer.score(HIIT, Answer("12345")).value == 0.5


@pytest.mark.parametrize(
    ("targets", "response_ms", "ttft_ms", "score", "met"),
    [
        (TurnTargets(), 19_999, None, 0.9, True),
        (TurnTargets(), 20_001, None, 0.9, False),
        (TurnTargets(), 100, None, 0.84, False),
        (TurnTargets(ttft_ms=500), 100, 499, 1.0, True),
        (TurnTargets(ttft_ms=500), 100, 501, 1.0, False),
        (TurnTargets(ttft_ms=500), 100, None, 1.0, False),
    ],
    ids=[
        "under 20 s, quality 0.9 -> good",
        "over 20 s -> not good",
        "quality under the bar -> not good",
        "TTFT target met",
        "TTFT target missed",
        "a TTFT target and no TTFT measured (JSON answer) -> not good",
    ],
)
def test_turn_targets(
    targets: TurnTargets, response_ms: float, ttft_ms: float | None, score: float, met: bool
) -> None:
    assert targets.met(response_ms, ttft_ms, score) is met
