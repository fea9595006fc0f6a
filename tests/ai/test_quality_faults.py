"""The default scorer on answers the demo target is told to degrade at known rates."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from genesis_load.ai import GENESIS_PROMPTS, GenesisAgentAPI, KeywordScorer, TurnTargets
from genesis_load.ai.chat_turn import ChatTurns, chat_http
from genesis_load.ai.users import AI_SSE_OPTIONS
from genesis_load.streaming import SSESession
from genesis_load.target import TargetProcess
from tests.ai.conftest import Recorder
from tests.helpers import server_counts

pytestmark = pytest.mark.slow


def _injected(target: TargetProcess, kind: str) -> int:
    for line in target.metrics_text().splitlines():
        if line.startswith(f'genesis_faults_injected_total{{kind="{kind}"}}'):
            return int(float(line.split()[-1]))
    return 0


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "json"])
def test_degraded_answers_score_as_expected(
    start_target: Callable[..., TargetProcess], recorder: Recorder, stream: bool
) -> None:
    target = start_target()
    target.set_faults({"truncate_rate": 0.3, "empty_rate": 0.1})
    sse = SSESession(
        recorder.environment, target.base_url, http=chat_http(), options=AI_SSE_OPTIONS
    )
    chat = ChatTurns(
        sse, GenesisAgentAPI(), KeywordScorer(), TurnTargets(), headers={}, stream=stream
    )
    rng = random.Random(3)
    kinds = {"clean": 0, "truncate": 0, "empty": 0}
    n = 70
    for i in range(n):
        prompt = GENESIS_PROMPTS.pick(GENESIS_PROMPTS.agents[i % 7], 0.3, rng)
        outcome = chat.turn(prompt, [], f"conv-q{i}")
        assert outcome.ok, outcome.message
        if outcome.message == "empty":
            kinds["empty"] += 1
            assert outcome.score == 0.0
        elif "truncated" in outcome.message:
            kinds["truncate"] += 1
            # keyword coverage (0..1), not truncated (0), completed (1): at most 2/3
            assert outcome.score is not None and outcome.score <= 2 / 3 + 1e-9
        else:
            kinds["clean"] += 1
            assert outcome.score == 1.0, outcome.message
    # the server's own count of the faults it injected
    assert kinds["truncate"] == _injected(target, "truncate") > 0
    assert kinds["empty"] == _injected(target, "empty") > 0
    route = ("/api/v1/agents/{name}/chat", "POST", "200")
    assert server_counts(target.metrics_text())[route] == n
    ok = recorder.values("ai_quality_ok")
    assert len(ok) == n and sum(ok) == kinds["clean"]
    quality = recorder.values("ai_quality")
    assert sum(1 for q in quality if q == 1.0) == kinds["clean"]
