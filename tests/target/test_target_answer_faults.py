"""The answer faults for AI quality tests: ``truncate_rate`` and ``empty_rate``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
import requests
from target_helpers import sample, sse_events

from genesis_load.target import TargetProcess
from genesis_load.target.fault_spec import FaultSpec, FaultSpecError
from genesis_load.target.faults import FaultInjector

Start = Callable[..., TargetProcess]
CHAT = "/api/v1/agents/BLAZE/chat"


def test_answer_fault_rates_round_trip_and_are_validated() -> None:
    raw = {"truncate_rate": 0.25, "empty_rate": 0.1, "paths": ["/v1/chat"]}
    assert FaultSpec.from_dict(raw).to_dict() == raw
    with pytest.raises(FaultSpecError) as err:
        FaultSpec.from_dict({"truncate_rate": 2, "empty_rate": "x"})
    assert set(err.value.problems) == {"truncate_rate", "empty_rate"}


def test_answer_faults_come_at_their_rates_and_repeat_after_a_reset() -> None:
    spec = FaultSpec(truncate_rate=0.25, empty_rate=0.1)
    injector = FaultInjector(spec, seed=7)
    first = [injector.answer_fault(CHAT) for _ in range(4000)]
    counts = Counter(first)
    assert counts["empty"] == pytest.approx(400, abs=60)
    # truncation is drawn for the answers not emptied: 0.25 x 0.9
    assert counts["truncate"] == pytest.approx(900, abs=90)
    injector.set(spec)
    assert [injector.answer_fault(CHAT) for _ in range(4000)] == first
    assert FaultInjector(FaultSpec(), seed=7).answer_fault(CHAT) is None
    assert FaultInjector(FaultSpec(empty_rate=1, paths=("/v1",)), seed=7).answer_fault(CHAT) is None


@pytest.mark.slow
def test_truncated_and_empty_answers_on_both_routes(start_target: Start) -> None:
    target = start_target()
    clean = requests.post(f"{target.base_url}{CHAT}", json={"message": "hiit?"}, timeout=10).json()
    target.set_faults({"truncate_rate": 1})
    cut = requests.post(f"{target.base_url}{CHAT}", json={"message": "hiit?"}, timeout=10).json()
    assert cut["finish_reason"] == "length"
    assert cut["usage"]["completion_tokens"] == clean["usage"]["completion_tokens"] // 2
    assert clean["answer"].startswith(cut["answer"]) and len(cut["answer"]) < len(clean["answer"])

    target.set_faults({"empty_rate": 1})
    body = {"model": "blaze", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    with requests.post(
        f"{target.base_url}/v1/chat/completions", json=body, stream=True, timeout=10
    ) as response:
        data = [e.data for e in sse_events(response)]
    assert len(data) == 3 and data[-1] == "[DONE]"  # the role chunk, the finish chunk, [DONE]
    assert '"content": ""' in data[0] or '"content":""' in data[0]
    text = target.metrics_text()
    assert sample(text, "genesis_faults_injected_total", kind="truncate") == 1
    assert sample(text, "genesis_faults_injected_total", kind="empty") == 1
