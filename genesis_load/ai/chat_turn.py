"""One conversation turn: send the prompt, read the answer (streamed or JSON), score it,
record the ``ai_*`` turn metrics. Never raises for a failed turn: it is recorded and returned.

Owns the mapping from a turn to samples (tags ``agent``, ``complexity``; failures also
``reason``). Streams go through :class:`~genesis_load.streaming.SSESession` (which times every
chunk on arrival and judges the stream) with a :class:`~.token_stream.ChunkLog` as its
``on_event``; JSON answers through :func:`~genesis_load.streaming.timed_stream`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import requests

from ..streaming import SSERequest, SSESession, StreamFailure, timed_stream
from . import _metrics as m
from .apis import ChatAPI
from .prompts import Prompt
from .scoring import Answer, Scorer
from .targets import TurnTargets
from .token_stream import ChunkLog, TurnFigures, turn_figures

__all__ = ["ChatTurns", "TurnOutcome", "chat_http"]


def chat_http() -> requests.Session:
    """The HTTP pool of one user: no proxy, ``.netrc`` or CA lookups from the environment on
    every request (``trust_env``), which cost ~0.5 ms before each request is sent."""
    http = requests.Session()
    http.trust_env = False
    return http


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    """``ok``: an answer came; ``good``: it met every target; ``reason``: why it failed."""

    ok: bool
    good: bool
    text: str
    reason: str
    message: str
    score: float | None


class ChatTurns:
    """Runs turns against one server for one user (its stream session and headers)."""

    def __init__(
        self,
        sse: SSESession,
        api: ChatAPI,
        scorer: Scorer,
        targets: TurnTargets,
        *,
        headers: Mapping[str, str],
        stream: bool = True,
    ) -> None:
        self.sse, self.api, self.scorer, self.targets = sse, api, scorer, targets
        self.headers = dict(headers)
        self.stream = stream

    def turn(self, prompt: Prompt, history: Sequence[tuple[str, str]], cid: str) -> TurnOutcome:
        call = self.api.call(prompt, history, cid, self.stream)
        tags = {"agent": prompt.agent, "complexity": prompt.complexity}
        m.TURNS.add(1, tags)
        if self.stream:
            return self._streamed(prompt, call.path, call.body, call.name, tags)
        return self._json(prompt, call.path, call.body, call.name, tags)

    def _streamed(
        self, prompt: Prompt, path: str, body: object, name: str, tags: dict[str, str]
    ) -> TurnOutcome:
        log = ChunkLog()
        request = SSERequest(path, name=name, method="POST", json=body, headers=self.headers)
        sent_s = time.perf_counter()
        result = self.sse.stream(request, log)
        if result.headers_ms is not None:
            m.TTFB.add(result.headers_ms, tags)
        if not result.completed:
            reason = "no_done" if result.reason == "broken" and log.finish_reason else result.reason
            return self._failed(tags, reason, result.message)
        figures = turn_figures(sent_s, log, result.duration_ms)
        answer = Answer(log.text, log.finish_reason, completed=log.done)
        return self._answered(prompt, answer, figures, tags)

    def _json(
        self, prompt: Prompt, path: str, body: object, name: str, tags: dict[str, str]
    ) -> TurnOutcome:
        headers = {**self.headers, "Accept-Encoding": "identity"}
        url = path if "://" in path else f"{self.sse.base_url}{path}"
        env = self.sse.environment
        got = timed_stream(
            env, self.sse.http, "POST", url, name=name, json=body, headers=headers,
            timeout_s=self.sse.options.timeout_s,
        )  # fmt: skip
        m.TTFB.add(got.headers_ms, tags)
        if got.error is not None:
            reason = "http_error" if got.status >= 400 else "connect"
            return self._failed(tags, reason, got.error)
        try:
            parsed = self.api.parse(json.loads(got.content))
        except ValueError:
            return self._failed(tags, "invalid_data", f"not JSON: {got.content[:120]!r}")
        except StreamFailure as exc:  # from parse: an error object, or no answer in it
            return self._failed(tags, exc.reason, exc.message)
        tokens = parsed.tokens
        figures = TurnFigures(
            got.duration_ms, None, (), tokens or 0, "usage" if tokens is not None else "none",
            None, None, tokens / (got.duration_ms / 1000.0) if tokens else None,
        )  # fmt: skip
        return self._answered(prompt, Answer(parsed.text, parsed.finish_reason), figures, tags)

    def _failed(self, tags: dict[str, str], reason: str, message: str) -> TurnOutcome:
        m.REQUEST_FAILED.add(True, tags)
        m.FAILURES.add(1, {**tags, "reason": reason})
        return TurnOutcome(False, False, "", reason, message, None)

    def _answered(
        self, prompt: Prompt, answer: Answer, f: TurnFigures, tags: dict[str, str]
    ) -> TurnOutcome:
        score = self.scorer.score(prompt, answer)
        m.REQUEST_FAILED.add(False, tags)
        m.RESPONSE_TIME.add(f.response_ms, tags)
        if f.ttft_ms is not None:
            m.TTFT.add(f.ttft_ms, tags)
        for gap_ms in f.itl_ms:
            m.ITL.add(gap_ms, tags)
        for metric, value in (
            (m.TPOT, f.tpot_ms),
            (m.TOKENS_PER_CHUNK, f.tokens_per_chunk),
            (m.TOKENS_PER_S, f.tokens_per_s),
        ):
            if value is not None:
                metric.add(value, tags)
        if f.token_source != "none":
            m.OUTPUT_TOKENS.add(f.tokens, {**tags, "source": f.token_source})
        m.QUALITY.add(score.value, tags)
        ok_quality = score.value >= self.targets.quality
        m.QUALITY_OK.add(ok_quality, tags)
        good = self.targets.met(f.response_ms, f.ttft_ms, score.value)
        return TurnOutcome(True, good, answer.text, "ok", "; ".join(score.problems), score.value)
