"""The full plan's table from made-up runs: every row of issue 15 is there (no run, no network)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import __main__ as bench_main
from benchmarks._generators import Report
from benchmarks._harness import Run


def _run(served: float = 1000.0, report: Report | None = None, **extra: object) -> Run:
    return Run(served, 100.0, 50.0, report or Report(), 0, **extra)  # type: ignore[arg-type]


def _full_bench() -> bench_main.Bench:
    plan = bench_main.FULL
    bench = bench_main.Bench(plan, None, Path("."), "k6")  # type: ignore[arg-type]
    for tool in ("k6", "locust", "genesis", "genesis-vus"):
        bench.runs[f"closed/{tool}"] = [_run(5000.0)]
    bench.runs["closed/genesis-lean"] = [_run(7500.0)]
    for rate in plan.rates:
        for tool in (*bench_main.TOOLS, "genesis-lean"):
            bench.runs[f"open/{tool}/{rate}"] = [_run(rate, Report(1.0, 2.0, 0.0))]
    bench.runs["open/k6/1000"] = [_run(1000.0, Report(0.2, 1.7, 0.0), empty_10ms_share=0.005)]
    bench.runs["open/locust/1000"] = [_run(1000.0, Report(10.0, 41.0), empty_10ms_share=0.7)]
    bench.runs["stall/k6"] = [_run(report=Report(p99_ms=801.3))]
    bench.runs["stall/locust"] = [_run(report=Report(p99_ms=7.0))]
    bench.runs["stall/genesis"] = [_run(report=Report(p99_ms=700.0, corrected_p99_ms=909.0))]
    bench.runs["stall/genesis-lean"] = [_run(report=Report(p99_ms=890, corrected_p99_ms=900.9))]
    for tool, one, two in (("locust", 4000.0, 7040.0), ("genesis", 4000.0, 7200.0)):
        bench.runs[f"processes/{tool}/1"] = [_run(one)]
        bench.runs[f"processes/{tool}/2"] = [_run(two)]
    growth = {10.0 + 10 * i: 60.0 + i / 36 for i in range(59)}  # 10 MB/h
    bench.runs["memory/locust"] = [_run(500.0, rss_mb={**growth, 599.5: growth[590.0]})]
    bench.runs["memory/genesis"] = [_run(500.0, rss_mb={**growth, 599.5: growth[590.0]})]
    bench.stream_figures = {
        "sse": {"p50_ms": 0.4, "p99_ms": 2.5, "measured_share": 1.0, "cpu_percent": 30.0},
        "ws": {"p50_ms": 0.3, "p99_ms": 1.5, "measured_share": 0.999, "cpu_percent": 20.0},
        "ai": {"ttft_p50_ms": 1.2, "ttft_p99_ms": 3.0, "itl_p50_ms": 0.2, "itl_p99_ms": 2.0,
               "cpu_percent": 15.0, "cpu_us_per_chunk": 240.0},
    }  # fmt: skip
    return bench


def test_the_full_plan_prints_every_row_of_issue_15() -> None:
    rows = {row["measure"]: row for row in bench_main.table(_full_bench())}
    stall = "1-s stall at 200/s for 10 s: reported p99, ms (error vs the analytic 900.0 ms)"
    assert rows[stall] == {
        "measure": stall,
        "k6": "801.3 (-11.0%)",
        "locust": "7.0 (-99.2%)",
        "genesis": "909.0 (+1.0%) corrected; 700.0 (-22.2%) http_req_duration; "
        "LeanHttpUser 900.9 (+0.1%) corrected",
    }
    closed = rows["closed loop, 50 users, req/s"]["genesis"]
    assert closed.endswith("; 7,500 (1.50× Locust) LeanHttpUser"), closed
    open_5k = rows["open model 5,000/s: share of the rate at nginx (dropped)"]["genesis"]
    assert open_5k.count("100.0% (0 dropped), CPU 50%") == 2 and "; LeanHttpUser " in open_5k
    processes = "closed loop, 50 users, 1 process → --processes 2, req/s (generator on both cores)"
    assert rows[processes]["locust"] == "4,000 → 7,040 (1.76×)"
    assert rows[processes]["genesis"] == "4,000 → 7,200 (1.80×)"
    assert rows[processes]["k6"] == "—"
    evenness = rows["1,000/s: share of empty 10-ms intervals at nginx (evenness)"]
    assert (evenness["k6"], evenness["locust"]) == ("0.5%", "70.0%")
    memory = next(row for m, row in rows.items() if m.startswith("500/s open model: RSS"))
    want = "60.0 → 61.6 MB at 599.5 s (+10 MB/h; second half +10 MB/h)"
    assert memory["genesis"] == memory["locust"] == want, memory
    streams = [row for m, row in rows.items() if m.startswith(("SSE, ", "WebSocket, ", "AI, "))]
    assert [(row["k6"], row["locust"]) for row in streams] == [("—", "—")] * 3
    assert streams[0]["genesis"] == "0.40 / 2.50, 100.0%, CPU 30%"
    assert streams[2]["genesis"] == "TTFT 1.20 / 3.00, ITL 0.20 / 2.00, CPU 15% (240 µs per chunk)"


def test_the_table_says_not_available_for_what_did_not_run() -> None:
    bench = bench_main.Bench(bench_main.QUICK, None, Path("."), None)  # type: ignore[arg-type]
    rows = bench_main.table(bench)
    assert [row["measure"] for row in rows][-3:] == [
        "1,000/s: share of empty 10-ms intervals at nginx (evenness)",
        "1-s stall at 200/s for 4 s: reported p99, ms (error vs the analytic 960.0 ms)",
        "500/s open model: RSS at 10 s → end, growth per hour (10 s → end; least-squares line "
        "over the second half)",
    ]
    assert rows[-2]["genesis"] == "not available corrected; not available http_req_duration"
    assert rows[-1]["genesis"] == "not available"
    assert rows[-1]["locust"] == "—"
