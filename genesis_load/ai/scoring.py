"""Answer quality: the one-method :class:`Scorer` interface and the default scorer.

A scorer turns (prompt, answer) into a :class:`Score`, a value in [0, 1] and the problems
found. It runs in the load generator after every answer, so it must be cheap: a model-graded
scorer belongs in a later pass over saved answers, not here. Write your own::

    class LengthScorer:
        def score(self, prompt: Prompt, answer: Answer) -> Score:
            ok = len(answer.text) > 200
            return Score(1.0 if ok else 0.0, () if ok else ("short",))

    class MyUser(GenesisAgentUser):
        scorer = LengthScorer()

:class:`KeywordScorer` (the default) is deterministic. An empty answer, or one that reads as a
refusal or an error message, scores 0. Otherwise the score is the mean of the checks that
apply: keyword coverage (expected words found / expected, any case), the regex matched (0/1),
valid JSON where JSON was asked for (0/1), not truncated (``finish_reason`` is not
``length``: 0/1), and a completed answer (a stream's ``[DONE]`` seen: 0/1).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Protocol

from .prompts import Prompt

__all__ = ["Answer", "KeywordScorer", "Score", "Scorer"]

_REFUSAL = re.compile(
    r"\b(i can(no|')t (help|assist)|i'?m sorry, but|as an ai (language )?model|i am unable to|"
    r"internal server error|an error occurred)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Answer:
    """What came back for one turn: the text and how it ended."""

    text: str
    finish_reason: str | None = None
    #: the answer arrived whole (a stream's ``[DONE]`` seen, or a complete JSON body)
    completed: bool = True


@dataclass(frozen=True, slots=True)
class Score:
    """A quality score in [0, 1] and the problems that lowered it."""

    value: float
    problems: tuple[str, ...] = ()


class Scorer(Protocol):
    """The extension point: one method, called once per answer."""

    def score(self, prompt: Prompt, answer: Answer) -> Score: ...


class KeywordScorer:
    """Expected keywords, regex and JSON from the prompt; truncation and completion."""

    def score(self, prompt: Prompt, answer: Answer) -> Score:
        text = answer.text
        if not text.strip():
            return Score(0.0, ("empty",))
        if _REFUSAL.search(text):
            return Score(0.0, ("refusal or error text",))
        checks: list[float] = []
        problems: list[str] = []
        if prompt.expect:
            lowered = text.lower()
            missing = [w for w in prompt.expect if w.lower() not in lowered]
            checks.append(1.0 - len(missing) / len(prompt.expect))
            if missing:
                problems.append(f"missing {', '.join(missing)}")
        if prompt.expect_regex is not None:
            matched = re.search(prompt.expect_regex, text) is not None
            checks.append(float(matched))
            if not matched:
                problems.append("regex not matched")
        if prompt.json:
            valid = _is_json(text)
            checks.append(float(valid))
            if not valid:
                problems.append("not valid JSON")
        truncated = answer.finish_reason == "length"
        checks.append(0.0 if truncated else 1.0)
        if truncated:
            problems.append("truncated")
        checks.append(1.0 if answer.completed else 0.0)
        if not answer.completed:
            problems.append("incomplete")
        return Score(sum(checks) / len(checks), tuple(problems))


def _is_json(text: str) -> bool:
    body = text.strip()
    if body.startswith("```"):  # a fenced block: ```json ... ```
        body = body.strip("`").removeprefix("json").strip()
    try:
        json.loads(body)
    except ValueError:
        return False
    return True
