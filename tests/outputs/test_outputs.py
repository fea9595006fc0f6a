"""Outputs behind one interface: registry, CSV, JSON, summary, live status (on a fake clock)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from genesis_load.errors import ConfigError
from genesis_load.metrics.collector import Collector
from genesis_load.metrics.store import Store
from genesis_load.outputs import OUTPUTS, IntervalSample, Output, OutputSpec, build_outputs
from genesis_load.outputs.csv_file import CSV_COLUMNS, CsvOutput
from genesis_load.outputs.json_file import JsonOutput
from genesis_load.outputs.live_status import LiveStatusOutput
from genesis_load.outputs.summary import SummaryOutput, print_summary
from genesis_load.results import Meta, Results, build_results, read_results


class Run:
    """A collector driven on a fake clock, feeding outputs the way the session does."""

    def __init__(self, outputs: list[Output], start_s: float = 1000.0) -> None:
        self.outputs = outputs
        self.collector = Collector(start_s)
        self.now_s = start_s
        self._interval: tuple[Store, float, float] | None = None
        self.collector.interval_listeners.append(self._keep)
        for o in outputs:
            o.start(start_s)

    def _keep(self, store: Store, start_s: float, end_s: float) -> None:
        self._interval = (store, start_s, end_s)

    def second(self, requests: int, failed: int = 0) -> None:
        for i in range(requests):
            self.collector.record_request(
                "GET", "/a", 500 if i < failed else 200, 2.0 + i, i < failed
            )
        self.now_s += 1.0
        point = self.collector.roll(self.now_s)
        assert self._interval is not None
        sample = IntervalSample(point, *self._interval)
        for o in self.outputs:
            o.interval(sample)

    def stop(self) -> Results:
        results = build_results(self.collector, Meta(duration_s=self.collector.duration_s))
        for o in self.outputs:
            o.stop(results)
        return results


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_has_every_interval_then_the_whole_run(tmp_path: Path) -> None:
    path = tmp_path / "run.csv"
    run = Run([CsvOutput(str(path))])
    for n in (5, 7, 3):
        run.second(n, failed=1)
    results = run.stop()
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(CSV_COLUMNS)
    rows = _rows(path)
    per_interval = [
        int(float(r["value"]))
        for r in rows
        if r["scope"] == "interval" and r["metric"] == "http_reqs" and r["stat"] == "count"
    ]
    assert per_interval == [5, 7, 3]
    run_rows = {(r["metric"], r["stat"]): float(r["value"]) for r in rows if r["scope"] == "run"}
    assert run_rows[("http_reqs", "count")] == 15
    p95 = results.metrics["http_req_duration"].values["p(95)"]
    assert run_rows[("http_req_duration", "p(95)")] == pytest.approx(p95)
    assert rows[-1]["scope"] == "run"


def test_csv_of_an_interrupted_run_keeps_one_set_of_run_rows_at_the_end(tmp_path: Path) -> None:
    """Interrupted runs are finalised twice: at once, then with the last requests."""
    path = tmp_path / "run.csv"
    run = Run([CsvOutput(str(path))])
    run.second(4)
    run.stop()
    run.second(6)  # the last requests, after the first finalisation
    run.stop()
    rows = _rows(path)
    scopes = [r["scope"] for r in rows]
    assert scopes == sorted(scopes, key=lambda s: s == "run"), "run rows come last"
    counts = [
        float(r["value"]) for r in rows if r["metric"] == "http_reqs" and r["stat"] == "count"
    ]
    assert counts == [4, 6, 10]


def test_json_output_writes_what_the_reader_reads(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    run = Run([JsonOutput(str(path))])
    run.second(3)
    results = run.stop()
    assert read_results(path) == results


def test_live_status_is_the_last_interval_and_the_running_total(tmp_path: Path) -> None:
    path = tmp_path / "live.json"
    run = Run([LiveStatusOutput(str(path))])
    run.second(4, failed=1)
    run.second(2)
    status = json.loads(path.read_text(encoding="utf-8"))
    assert status["requests"] == 6 and status["rps"] == 2.0 and status["error_rate"] == 0.0
    assert status["elapsed_s"] == 2.0


def test_summary_prints_once_per_run_even_when_finalised_twice(tmp_path: Path) -> None:
    path = tmp_path / "summary.txt"
    run = Run([SummaryOutput(str(path))])
    run.second(3)
    run.stop()
    first = path.read_text(encoding="utf-8")
    run.stop()
    assert path.read_text(encoding="utf-8") == first
    assert "genesis-load summary" in first and "/a" in first


def test_print_summary_reads_only_the_results() -> None:
    run = Run([])
    run.second(2)
    out = io.StringIO()
    print_summary(run.stop(), out)
    assert "http_reqs" in out.getvalue()


@pytest.mark.parametrize(
    ("specs", "problems"),
    [
        ([OutputSpec("jsn", "x.json")], ["--out jsn=x.json: unknown output 'jsn' (known: csv, "]),
        ([OutputSpec("csv")], ["--out csv: output 'csv' needs a path (csv=PATH)"]),
        (
            [OutputSpec("json", "/no/such/dir/r.json", "--summary-json"), OutputSpec("x")],
            ["--summary-json '/no/such/dir/r.json': folder", "--out x: unknown output 'x'"],
        ),
    ],
    ids=[
        "a misspelt name -> the known names",
        "a file output without a path -> how to give one",
        "two bad outputs -> both reported, with the option that asked",
    ],
)
def test_bad_outputs_are_all_reported_before_the_run(
    specs: list[OutputSpec], problems: list[str]
) -> None:
    with pytest.raises(ConfigError) as e:
        build_outputs(specs)
    assert len(e.value.problems) == len(problems)
    for got, want in zip(e.value.problems, problems, strict=True):
        assert got.startswith(want)


def test_every_registered_output_follows_the_interface(tmp_path: Path) -> None:
    """Adding an output is one module and one registry line: each entry builds an Output."""
    for name, entry in OUTPUTS.items():
        arg = str(tmp_path / f"out.{name}") if entry.needs_path else ""
        (output,) = build_outputs([OutputSpec(name, arg)])
        assert isinstance(output, Output)
