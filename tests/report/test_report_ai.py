"""The report's AI agents section, from constructed runs (no Locust)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from genesis_load.report.ai_section import AI_CHART, ai_section, has_ai
from genesis_load.report.charts import Chart
from genesis_load.report.document import Figure, Line, Table
from genesis_load.report.load import MetricEntry, Run
from genesis_load.report.sections import build_document
from genesis_load.report.verdict import judge
from tests.report.test_report_rules import run


def _m(key: str, kind: str, contains: str = "default", **values: float) -> tuple[str, MetricEntry]:
    return key, MetricEntry(key, kind, contains, values)


def _t(key: str, med: float, p95: float) -> tuple[str, MetricEntry]:
    return _m(key, "trend", "time", med=med, **{"p(95)": p95})


AI_METRICS = dict(
    [
        _t("ai_response_time{agent:BLAZE,complexity:simple}", 12_400.0, 13_000.0),
        _t("ai_response_time{agent:BLAZE,complexity:complex}", 18_700.0, 19_500.0),
        _t("ai_response_time{complexity:simple}", 11_000.0, 12_900.0),
        _t("ai_ttft{agent:BLAZE}", 800.0, 950.0),
        _t("ai_itl{agent:BLAZE}", 25.0, 31.0),
        _m("ai_tokens_per_s{agent:BLAZE}", "trend", avg=35.5),
        _m("ai_quality{agent:BLAZE}", "trend", avg=0.92),
        _m("ai_request_failed{agent:BLAZE}", "rate", rate=0.1, passes=2, fails=18),
        _m("ai_request_failed{agent:SAGE}", "rate", rate=0.0, passes=0, fails=10),
        _m("ai_request_failed", "rate", rate=2 / 30, passes=2, fails=28),
        _m("ai_quality", "trend", avg=0.9),
        _m("ai_failures{reason:stall}", "counter", count=2),
        _m("ai_goodput", "rate", rate=0.8, passes=8, fails=2),
        _m("ai_conversations_active", "gauge", value=0, min=0, max=15),
    ]
)


def _ai_run() -> Run:
    return replace(run(), scenario="ai_agents", metrics=AI_METRICS, path=Path("ai.json"))


def test_per_agent_table_goodput_concurrency_and_failures() -> None:
    chart = Chart("ai_agents", AI_CHART, "t", "alt", Path("ai.png"))
    section = ai_section([run(), _ai_run()], {"ai_agents": (chart,)})
    (table,) = [b for b in section.blocks if isinstance(b, Table)]
    assert table.headers[0] == "agent" and len(table.rows) == 3  # BLAZE, SAGE, all agents
    blaze, sage, everyone = table.rows
    assert blaze == (
        "BLAZE", "20", "12.40s / 13.00s", "18.70s / 19.50s", "800.00ms / 950.00ms",
        "25.00ms / 31.00ms", "35.5", "92.00%", "2 (10.00%)",
    )  # fmt: skip
    assert sage[0:2] == ("SAGE", "10") and sage[2] == "–" and sage[-1] == "0"
    assert everyone[0:3] == ("all agents", "30", "11.00s / 12.90s") and everyone[7] == "90.00%"
    lines = {b.lead: b for b in section.blocks if isinstance(b, Line)}
    assert "80.00% of 10 conversations" in lines["Goodput (ai_agents):"].text
    assert lines["Concurrent conversations (ai_agents):"].text.startswith("15 in progress")
    assert lines["Failed turns by kind (ai_agents):"].text == "stall: 2."
    assert [b.chart for b in section.blocks if isinstance(b, Figure)] == [chart]


def test_runs_without_ai_metrics_are_left_out_and_said_to_be_unmeasured() -> None:
    assert not has_ai(run()) and has_ai(_ai_run())
    section = ai_section([run()], {})
    (block,) = section.blocks
    assert isinstance(block, Line) and block.lead == "Not measured:"


def test_a_report_of_suite_runs_names_the_seed_scenarios_it_left_out() -> None:
    runs = [replace(run(), scenario="baseline"), _ai_run()]
    doc = build_document(runs, judge(runs), {}, "t")
    (line,) = [b for b in doc.verdict_blocks if isinstance(b, Line) and b.lead == "Not covered:"]
    assert "stress, spike, soak, benchmarks, streaming;" in line.text
    assert "ai_agents" not in line.text
    other = [run()]  # not a suite scenario: nothing to say
    doc = build_document(other, judge(other), {}, "t")
    assert not [b for b in doc.verdict_blocks if isinstance(b, Line) and b.lead == "Not covered:"]
