"""The ``ai_*`` metrics, declared once; every formula is in docs/ai.md.

Owns only the declarations (names, kinds, units). The conversation runner adds samples, tagged
``agent`` and ``complexity`` (failures also ``reason``); the collector the genesis-load plugin
installs records them like any custom metric.
"""

from __future__ import annotations

from genesis_load.metrics import Counter, Gauge, Rate, Trend

__all__ = [
    "CONVERSATIONS_ACTIVE",
    "CONVERSATION_DURATION",
    "FAILURES",
    "GOODPUT",
    "ITL",
    "OUTPUT_TOKENS",
    "QUALITY",
    "QUALITY_OK",
    "REQUEST_FAILED",
    "RESPONSE_TIME",
    "TOKENS_PER_CHUNK",
    "TOKENS_PER_S",
    "TPOT",
    "TTFB",
    "TTFT",
    "TURNS",
]

RESPONSE_TIME = Trend("ai_response_time", time=True, description="request sent -> last content")
TTFB = Trend("ai_ttfb", time=True, description="request sent -> response headers")
TTFT = Trend("ai_ttft", time=True, description="request sent -> first non-empty content delta")
ITL = Trend("ai_itl", time=True, description="gap between consecutive content chunks")
TPOT = Trend("ai_tpot", time=True, description="(response time - TTFT) / (tokens - 1)")
OUTPUT_TOKENS = Trend("ai_output_tokens", description="completion tokens per answer")
TOKENS_PER_CHUNK = Trend("ai_tokens_per_chunk", description="completion tokens per content chunk")
TOKENS_PER_S = Trend("ai_tokens_per_s", description="completion tokens / response time (s)")
TURNS = Counter("ai_turns", description="conversation turns sent")
CONVERSATION_DURATION = Trend(
    "ai_conversation_duration", time=True, description="first request sent -> last turn ended"
)
CONVERSATIONS_ACTIVE = Gauge(
    "ai_conversations_active", description="conversations in progress in this process"
)
QUALITY = Trend("ai_quality", description="answer quality score, 0..1 (the mean is avg)")
QUALITY_OK = Rate("ai_quality_ok", description="answers whose score reached the quality bar")
GOODPUT = Rate(
    "ai_goodput", description="conversations whose every turn met its latency and quality targets"
)
REQUEST_FAILED = Rate("ai_request_failed", description="turns that failed (no usable answer)")
FAILURES = Counter("ai_failures", description="failed turns, tagged by reason")
