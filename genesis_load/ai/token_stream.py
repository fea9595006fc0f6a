"""Reading an OpenAI-style token stream: content chunks timed on arrival, and the turn's figures.

:class:`ChunkLog` is the ``on_event`` handler given to :class:`~genesis_load.streaming.SSESession`
(which parses the SSE, times each event when its last byte arrives and judges the stream).
Per chunk it keeps only the arrival time of chunks with non-empty content, the text, the
``finish_reason`` and the usage. :func:`turn_figures` turns that into the per-answer figures
(pure; formulas in docs/ai.md)::

    response_ms   = t(last content chunk) - t_sent         (no content: the stream's end)
    ttft_ms       = t(first content chunk) - t_sent        (a role-only chunk does not count)
    itl_ms[k]     = t(content chunk k) - t(content chunk k-1), k >= 1
    tokens        = usage.completion_tokens when a usage chunk came, else content chunks
    tpot_ms       = (response_ms - ttft_ms) / (tokens - 1), tokens > 1
    tokens_per_chunk = tokens / content chunks               (usage only)
    tokens_per_s  = tokens / (response_ms / 1000)
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from ..streaming import SSEEvent, StreamFailure

__all__ = ["ChunkLog", "TurnFigures", "turn_figures"]

_EXCERPT = 120


@dataclass
class ChunkLog:
    """What one stream said, and when each piece of content arrived (perf_counter seconds)."""

    content_s: list[float] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    usage_tokens: int | None = None
    done: bool = False

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def __call__(self, event: SSEEvent) -> bool | None:
        """The ``on_event`` handler: raises StreamFailure(invalid_data) on a malformed chunk."""
        if event.data == "[DONE]":
            self.done = True
            return True
        chunk = event.payload
        if not isinstance(chunk, dict):
            raise StreamFailure("invalid_data", f"chunk is not a JSON object: {_cut(event.data)}")
        usage = chunk.get("usage")
        if isinstance(usage, dict) and isinstance(usage.get("completion_tokens"), int):
            self.usage_tokens = usage["completion_tokens"]
        choices = chunk.get("choices")
        if not isinstance(choices, list):
            raise StreamFailure("invalid_data", f"chunk without a choices list: {_cut(event.data)}")
        if not choices:
            return None  # the usage chunk
        choice = choices[0]
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if not isinstance(delta, dict):
            raise StreamFailure("invalid_data", f"choice without a delta: {_cut(event.data)}")
        content = delta.get("content")
        if isinstance(content, str) and content:
            self.content_s.append(event.received_s)
            self.parts.append(content)
        if choice.get("finish_reason"):
            self.finish_reason = str(choice["finish_reason"])
        return None


@dataclass(frozen=True, slots=True)
class TurnFigures:
    """One answer's figures in ms (None: not measurable for this answer)."""

    response_ms: float
    ttft_ms: float | None
    itl_ms: tuple[float, ...]
    tokens: int
    token_source: str  # "usage" or "chunks"
    tpot_ms: float | None
    tokens_per_chunk: float | None
    tokens_per_s: float | None


def turn_figures(sent_s: float, log: ChunkLog, end_ms: float) -> TurnFigures:
    """The figures of one streamed answer sent at ``sent_s`` that ended ``end_ms`` later."""
    times = log.content_s
    chunks = len(times)
    response_ms = (times[-1] - sent_s) * 1000.0 if times else end_ms
    ttft_ms = (times[0] - sent_s) * 1000.0 if times else None
    itl = tuple((b - a) * 1000.0 for a, b in itertools.pairwise(times))
    source = "usage" if log.usage_tokens is not None else "chunks"
    tokens = log.usage_tokens if log.usage_tokens is not None else chunks
    return TurnFigures(
        response_ms=response_ms,
        ttft_ms=ttft_ms,
        itl_ms=itl,
        tokens=tokens,
        token_source=source,
        tpot_ms=(response_ms - ttft_ms) / (tokens - 1)
        if ttft_ms is not None and tokens > 1
        else None,
        tokens_per_chunk=tokens / chunks if source == "usage" and chunks else None,
        tokens_per_s=tokens / (response_ms / 1000.0) if response_ms > 0 and tokens else None,
    )


def _cut(data: Any) -> str:
    return json.dumps(str(data)[:_EXCERPT])
