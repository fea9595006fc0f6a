"""The report's pure parts, table-driven: derived figures, verdict, generic sections, compare
rules, escaping and the JUnit shape, on hand-built runs (no I/O, milliseconds)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import genesis_load.report as report
from genesis_load.report.compare import Figures, regressions
from genesis_load.report.document import Code, Document, Section, Table
from genesis_load.report.figures import (
    offered_load,
    peak_rps,
    sustained_rps,
)
from genesis_load.report.generic import flatten, format_generic, resource_series
from genesis_load.report.html import render_html
from genesis_load.report.junit import render_junit
from genesis_load.report.load import Endpoint, MetricEntry, Point, Run, ThresholdResult
from genesis_load.report.markdown import render_markdown
from genesis_load.report.sections import build_document
from genesis_load.report.verdict import format_observed, judge
from genesis_load.thresholds import parse_expression


def point(start_s: float, end_s: float, count: float, failed: float = 0, **extra: Any) -> Point:
    metrics: dict[str, dict[str, float]] = {
        "http_reqs": {"count": count},
        "http_req_failed": {"passes": failed, "fails": count - failed},
    }
    metrics.update({k: {"count": v} for k, v in extra.items()})
    return Point(start_s, end_s, metrics)


def steady(rates: list[tuple[int, float, float]]) -> list[Point]:
    """Consecutive 1 s points: (seconds, requests per second, failed share)."""
    points, t = [], 0.0
    for seconds, rate, share in rates:
        for _ in range(seconds):
            points.append(point(t, t + 1.0, rate, rate * share))
            t += 1.0
    return points


def run(**changes: Any) -> Run:
    base = Run(
        scenario="s", path=Path("s.json"), start="2026-01-01T00:00:00+00:00",
        end="2026-01-01T00:01:00+00:00", duration_s=60.0, host="http://127.0.0.1:1",
        tool_version="0", locust_version="0", python_version="3", user_classes=(),
        interrupted=False, aborted=None, loadgen_cpu_percent=10.0, warnings=(), stages={},
        interval_s=1.0, coalesced=1,
        metrics={
            "http_reqs": MetricEntry("http_reqs", "counter", "default", {"count": 600}),
            "http_req_failed": MetricEntry("http_req_failed", "rate", "default",
                                           {"rate": 0.0, "passes": 0, "fails": 600}),
            "http_req_duration": MetricEntry("http_req_duration", "trend", "time",
                                             {"med": 5.0, "p(95)": 9.0, "count": 600}),
        },
        endpoints=(), points=(), histograms={}, analysis=None, resources=None,
        thresholds=(
            ThresholdResult("http_req_failed", "rate<0.01", True, 0.0, aggregation="rate"),
        ),
    )  # fmt: skip
    return replace(base, **changes)


# --- figures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        ([(10, 100, 0)], 100.0),
        ([(10, 100, 0.02)], None),
        ([(60, 100, 0), (30, 200, 0), (10, 50, 0)], 200.0),
        ([(60, 100, 0), (30, 200, 0.5)], 100.0),
        ([(40, 100, 0), (20, 400, 0), (40, 100, 0)], pytest.approx(300.0)),
        ([], None),
    ],
    ids=[
        "10 s run at 100/s: the whole run, 100/s",
        "10 s run with 2% failed: no clean window, None",
        "100/s then 30 s at 200/s: 200/s",
        "200/s stretch with 50% failed is excluded: 100/s",
        "only 20 s at 400/s: best 30 s window averages 300/s",
        "no points: None",
    ],
)
def test_sustained_rps(rates: list[tuple[int, float, float]], expected: float | None) -> None:
    window = sustained_rps(steady(rates))
    assert (window.rps if window else None) == expected


def test_peak_rps_ignores_a_partial_last_point() -> None:
    points = [*steady([(5, 100, 0)]), point(5.0, 5.05, 20)]  # 20 in 50 ms = "400/s"
    peak = peak_rps(points, 1.0)
    assert peak is not None and peak.rps == 100.0


@pytest.mark.parametrize(
    ("metrics", "open_model", "issued", "dropped"),
    [
        ({}, False, 0, 0),
        ({"offered_iterations": 500, "schedule_lag": 480, "dropped_iterations": 20}, True, 500, 20),
        ({"schedule_lag": 480, "dropped_iterations": 20}, True, 500, 20),
    ],
    ids=[
        "closed model: no rate offered",
        "offered_iterations counts what was offered",
        "older files: started + dropped",
    ],
)
def test_offered_load(metrics: dict[str, int], open_model: bool, issued: int, dropped: int) -> None:
    entries = dict(run().metrics)
    for key, count in metrics.items():
        entries[key] = MetricEntry(key, "counter", "default", {"count": count})
    offered = offered_load(run(metrics=entries, duration_s=10.0))
    assert (offered.open_model, offered.issued, offered.dropped) == (open_model, issued, dropped)


# --- verdict -------------------------------------------------------------------------------


FAILED = ThresholdResult("http_req_duration", "p(95)<5", False, 9.0, aggregation="p(95)")


@pytest.mark.parametrize(
    ("runs", "ready", "reasons", "label"),
    [
        ([run()], True, [], "READY"),
        (
            [run(), run(scenario="b", thresholds=(FAILED,))],
            False,
            ["b http_req_duration"],
            "NOT READY",
        ),
        ([run(), run(scenario="b", thresholds=())], False, [], "NOT READY"),
        ([run(aborted="threshold http_req_failed")], False, ["s (run)"], "NOT READY"),
        ([run(interrupted=True)], False, ["s (run)"], "INCOMPLETE"),
        ([run(loadgen_cpu_percent=97.0)], True, [], "READY"),
        ([], False, [], "NOT READY"),
    ],
    ids=[
        "all passed: READY",
        "one failed threshold: NOT READY",
        "a scenario without thresholds: NOT READY",
        "aborted run: NOT READY",
        "interrupted run: INCOMPLETE, exit 105",
        "hot load generator: a caveat, still READY",
        "no runs: NOT READY",
    ],
)
def test_judge(runs: list[Run], ready: bool, reasons: list[str], label: str) -> None:
    verdict = judge(runs)
    assert verdict.ready is ready
    assert verdict.label == label
    codes = {"READY": 0, "NOT READY": 99, "INCOMPLETE": 105}
    assert verdict.exit_code == codes[label]
    assert [f"{f.scenario} {f.metric}" for f in verdict.failures] == reasons


def test_an_interrupted_run_or_a_planned_scenario_not_run_is_incomplete_saying_what() -> None:
    partial = run(
        interrupted=True,
        interrupted_by="SIGTERM",
        duration_s=7.5,
        planned_s=30.0,
        ended="interrupted",
    )
    verdict = judge([partial], planned=("s", "spike"))
    assert verdict.label == "INCOMPLETE" and not verdict.ready
    assert verdict.incomplete == (
        "s: interrupted by SIGTERM after 7.5 s of 30.0 s planned",
        "spike: not run",
    )
    # every run passed, but one planned scenario has no results: still not READY
    assert judge([run()], planned=("s", "spike")).label == "INCOMPLETE"


def test_judge_lists_unjudged_scenarios_and_caveats() -> None:
    verdict = judge(
        [
            run(loadgen_cpu_percent=97.0, warnings=("load generator used 97%",)),
            run(scenario="b", thresholds=()),
        ]
    )
    assert verdict.not_judged == ("b",)
    assert len(verdict.caveats) == 1 and "not trustworthy" in verdict.caveats[0]


@pytest.mark.parametrize(
    ("metric", "expression", "observed", "shown"),
    [
        ("http_req_duration", "p(95)<500", 7.575, "7.58ms"),
        ("http_req_duration", "max<2000", 1234.0, "1.23s"),
        ("http_req_duration", "count>10", 980.0, "980"),
        ("http_req_failed", "rate<0.01", 0.042, "0.042 (4.20%)"),
        ("http_reqs", "rate>100", 98.5, "98.5/s"),
        ("http_req_duration{name:/x}", "p(99)<10", 0.5, "500µs"),
        ("http_req_duration", "p(95)<500", None, "no data"),
    ],
    ids=[
        "trend percentile in ms",
        "trend max in s",
        "trend count is a number",
        "rate as share and percent",
        "counter rate per second",
        "sub-metric uses its base",
        "no data",
    ],
)
def test_format_observed(metric: str, expression: str, observed: float | None, shown: str) -> None:
    entries = dict(run().metrics)
    aggregation = parse_expression(expression).stat
    threshold = ThresholdResult(metric, expression, True, observed, aggregation=aggregation)
    assert format_observed(run(metrics=entries), threshold) == shown


# --- generic sections ----------------------------------------------------------------------


def test_flatten_and_format_generic_never_fail() -> None:
    analysis = {
        "breaking_point": None,
        "a": {"b": {"c_ms": 12.5}},
        "list": [1, "x"],
        "objs": [{"k": 1}],
        "flag": True,
        "empty": {},
    }
    rows = dict(flatten(analysis))
    assert rows.keys() == {"breaking_point", "a.b.c_ms", "list", "objs", "flag", "empty"}
    shown = {k: format_generic(k, v) for k, v in rows.items()}
    assert shown == {
        "breaking_point": "none",
        "a.b.c_ms": "12.50ms",
        "list": "1, x",
        "objs": '[{"k":1}]',
        "flag": "yes",
        "empty": "none",
    }


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ({"cpu_percent": [10, 20, 30]}, [("cpu_percent", 3, 20.0, 30.0)]),
        (
            {"memory": [{"t_s": 0, "rss_mb": 10}, {"t_s": 1, "rss_mb": 30}]},
            [("memory.rss_mb", 2, 20.0, 30.0)],
        ),
        ({"limits": {"memory_mb": 2048}}, [("limits.memory_mb", 1, 2048.0, 2048.0)]),
        ({"odd": "text", "none": None, "mixed": [1, "a"], "nan": float("nan")}, []),
    ],
    ids=[
        "list of numbers",
        "list of samples, time field skipped",
        "a lone number",
        "unknown shapes are skipped",
    ],
)
def test_resource_series(
    resources: dict[str, Any], expected: list[tuple[str, int, float, float]]
) -> None:
    assert [(s.name, s.samples, s.avg, s.peak) for s in resource_series(resources)] == expected


# --- compare rules -------------------------------------------------------------------------


def figures(
    p95: float | None = 10.0,
    errors: float | None = 0.0,
    rps: float | None = 100.0,
    count: int = 1000,
) -> Figures:
    return Figures(count, p95, errors, rps)


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        (figures(), figures(), []),
        (figures(p95=10), figures(p95=10.9), []),
        (figures(p95=10), figures(p95=11.2), ["p95 +12.0%"]),
        (figures(errors=0.0), figures(errors=0.0005), []),
        (figures(errors=0.0), figures(errors=0.002), ["error rate +0.20 pt"]),
        (figures(errors=0.10), figures(errors=0.105), []),
        (figures(errors=0.10), figures(errors=0.115), ["error rate +1.50 pt"]),
        (figures(rps=100), figures(rps=91), []),
        (figures(rps=100), figures(rps=85), ["throughput -15.0%"]),
        (figures(p95=None), figures(p95=50), []),
        (figures(count=0), figures(p95=50, errors=1.0), []),
    ],
    ids=[
        "same: none",
        "p95 +9%: within 10%",
        "p95 +12%: regression",
        "errors 0 -> 0.05%: below the 0.1-point floor",
        "errors 0 -> 0.2%: regression",
        "errors 10% -> 10.5%: within 10% of old",
        "errors 10% -> 11.5%: regression",
        "throughput -9%: within",
        "throughput -15%: regression",
        "p95 not recorded on one side: not compared",
        "no requests before: not compared",
    ],
)
def test_regression_rules(old: Figures, new: Figures, found: list[str]) -> None:
    assert list(regressions(old, new, 0.10)) == found


# --- renderers -----------------------------------------------------------------------------


def _doc(*tables: Table) -> Document:
    return Document("t", (("k", "v"),), judge([run()]), (), (Section("S", "s", tables),))


def test_markdown_table_cells_are_escaped() -> None:
    table = Table(("endpoint", "note"), ((Code("/a|b"), "x | *y* _z_ <b>"),), "ll")
    md = render_markdown(_doc(table))
    row = next(line for line in md.splitlines() if line.startswith("| `"))
    assert row == r"| `/a\|b` | x \| \*y\* \_z\_ \<b> |"
    assert row.replace("\\|", "").count("|") == 3


def test_html_escapes_text() -> None:
    table = Table(("endpoint",), ((Code("<script>alert(1)</script>"),),), "l")
    html = render_html(_doc(table))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_junit_counts_on_hand_built_runs() -> None:
    runs = [
        run(),
        run(scenario="b", thresholds=(FAILED,), aborted="threshold"),
        run(scenario="c", thresholds=()),
    ]
    root = ET.fromstring(render_junit(runs).split("\n", 1)[1])
    assert [(s.get("name"), s.get("tests"), s.get("failures"), s.get("skipped")) for s in root] == [
        ("s", "1", "0", "0"),
        ("b", "2", "2", "0"),
        ("c", "1", "0", "1"),
    ]
    aborted = root.find("testsuite[@name='b']/testcase[@name='run: completed as planned']")
    assert aborted is not None and aborted.find("failure") is not None


def test_public_names() -> None:
    assert sorted(report.__all__) == [
        "Comparison",
        "DEFAULT_TITLE",
        "ReportFiles",
        "Run",
        "Verdict",
        "compare_runs",
        "judge",
        "load_results_dir",
        "load_run",
        "load_runs",
        "write_report",
    ]
    for name in report.__all__:
        assert hasattr(report, name)


def test_endpoint_failed_share() -> None:
    assert Endpoint("/x", ("GET",), 200, 5, 10.0, {}).failed_share == 0.025
    assert Endpoint("/x", ("GET",), 0, 0, 0.0, {}).failed_share == 0.0


# --- what the scalability section may claim ------------------------------------------------


def _scalability_row(r: Run) -> str:
    md = render_markdown(build_document([r], judge([r]), {}, "t"))
    scal = md.split("## Scalability", 1)[1]
    return next(line for line in scal.splitlines() if line.startswith(f"| {r.scenario} |"))


ANALYSIS = {"definitions": {"sustain_s": 5.0}, "max_offered_rps": 80.0}
DROPS = {"offered_iterations": 100, "schedule_lag": 60, "dropped_iterations": 40}


@pytest.mark.parametrize(
    ("seconds", "analysis", "counters", "shown"),
    [
        (10, {**ANALYSIS, "breaking_point": None}, {}, "| not reached up to 80.0/s |"),
        (
            3,
            {**ANALYSIS, "breaking_point": None},
            {},
            "| not assessable (run shorter than the 5 s it must last) |",
        ),
        (
            10,
            {**ANALYSIS, "breaking_point": None},
            DROPS,
            "| not reached on p95/errors, but 40 iterations were dropped |",
        ),
        (
            10,
            {
                **ANALYSIS,
                "breaking_point": {
                    "offered_rps": 60.0,
                    "at_s": 4.0,
                    "reason": "p95 600 ms > 500 ms",
                },
            },
            {},
            "| 60.0/s offered at 4 s (p95 600 ms > 500 ms) |",
        ),
        (10, {"breaking_point": "odd"}, {}, "| odd |"),
    ],
    ids=[
        "long enough, nothing broke: not reached up to the highest offered",
        "shorter than sustain_s: not assessable",
        "iterations dropped: never 'up to' a load that was not sent",
        "a breaking point: where and why",
        "an unknown shape is shown as is",
    ],
)
def test_breaking_point_wording(
    seconds: int, analysis: dict[str, Any], counters: dict[str, int], shown: str
) -> None:
    entries = dict(run().metrics)
    for key, count in counters.items():
        entries[key] = MetricEntry(key, "counter", "default", {"count": count})
    r = run(points=tuple(steady([(seconds, 10, 0)])), analysis=analysis, metrics=entries)
    assert _scalability_row(r).endswith(shown)


def test_offered_equal_to_achieved_is_not_called_capacity() -> None:
    entries = {
        **run().metrics,
        "offered_iterations": MetricEntry(
            "offered_iterations", "counter", "default", {"count": 600}
        ),
    }
    points = tuple(point(t, t + 1.0, 10, offered_iterations=10) for t in range(60))
    md = render_markdown(
        build_document([run(points=points, metrics=entries)], judge([run()]), {}, "t")
    )
    assert "offered at most 10.0 iterations/s and the target served all of it" in md
    assert "Capacity above the offered load was not tested" in md
    assert "**Proven capacity:** 10.0 req/s in s (best 30 s window, 0–30 s)" in md
