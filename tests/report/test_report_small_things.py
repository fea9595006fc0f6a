"""Smaller things users hit: a report of one results file; a count asked for as a trend stat."""

from __future__ import annotations

import io
from pathlib import Path

from genesis_load.metrics.collector import Collector
from genesis_load.outputs.summary import print_summary
from genesis_load.report import write_report
from genesis_load.results import Meta, build_results, encode_json, write_atomic


def _results_file(folder: Path, trend_stats: tuple[str, ...]) -> Path:
    c = Collector(start_s=100.0)
    for second in range(3):
        for i in range(20):
            c.record_request("GET", "/health", 200, 2.0 + i / 10, False, 20)
        c.roll(101.0 + second)
    meta = Meta(host="http://127.0.0.1:1", duration_s=3.0, trend_stats=list(trend_stats))
    path = folder / "baseline.json"
    write_atomic(path, encode_json(build_results(c, meta, trend_stats)))
    return path


def test_a_report_of_one_results_file_is_written_beside_it(tmp_path: Path) -> None:
    path = _results_file(tmp_path, ("avg", "p(95)"))
    files = write_report(path)
    assert files.markdown == tmp_path / "report.md" and files.markdown.exists()
    assert [r.scenario for r in files.runs] == ["baseline"]


def test_count_among_the_trend_stats_is_not_shown_as_a_time(tmp_path: Path) -> None:
    from genesis_load.results import read_results

    results = read_results(_results_file(tmp_path, ("avg", "p(95)", "count")))
    out = io.StringIO()
    print_summary(results, out)
    row = next(line for line in out.getvalue().splitlines() if "http_req_duration" in line)
    assert "60ms" not in row.replace(" ", "") and "60.00ms" not in row, row
    assert row.split()[-1] == "60" or " 60 " in row, row


def test_the_analysis_reads_as_words_not_a_key_dump() -> None:
    from genesis_load.report.scenario_section import _analysis_table

    analysis = {
        "definitions": {"p95_target_ms": 500, "error_rate_limit": 0.01, "sustain_s": 5,
                        "offered": "iterations/s"},
        "max_offered_rps": 1000.0, "peak_achieved_rps": 640.0,
        "breaking_point": {"at_s": 42.0, "offered_rps": 650.0, "achieved_rps": 600.0,
                           "reason": "p95 812 ms > 500 ms"},
        "shed": {"count": 120, "share": 0.02, "by_stage": {}},
        "recovery": {"recovery_time_s": 3.0},
    }  # fmt: skip
    rows = dict(_analysis_table(analysis).rows)
    assert rows["breaking point"] == "650 iterations/s offered at 42 s (p95 812 ms > 500 ms)"
    assert rows["shed (503/429)"] == "120 (2.00%)"
    assert rows["recovery"] == "3 s after the spike"
    assert rows["judged by"] == "p95 > 500 ms or errors > 1% for 5 s"
