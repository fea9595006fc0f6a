"""The report and compare commands on results files from real Locust runs.

One module-scoped fixture runs five short scenarios, three at a time, against demo targets:
``baseline`` (closed model, checks, passing thresholds), ``stress`` (ramping arrival rate with
named stages, passing), ``failing`` (arrival rate against a target failing 20% of requests,
``http_req_failed: rate<0.01`` fails), ``unjudged`` (closed model, no thresholds) and ``slow``
(``baseline`` against a target adding 30 ms). Results directories are then assembled from them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from genesis_load.cli import main
from genesis_load.target import TargetProcess
from genesis_load.units import format_value
from tests.helpers import run_locust

pytestmark = pytest.mark.slow  # the module's fixture runs five real Locust runs (~10 s)

HERE = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
PASS = ("--threshold", "http_req_failed: rate<0.01", "--threshold", "http_req_duration: p(95)<500")


@dataclass(frozen=True)
class Runs:
    files: dict[str, Path]  # scenario -> results file
    root: Path

    def folder(self, name: str, *scenarios: str) -> Path:
        """A results directory holding copies of the given scenarios' files."""
        folder = self.root / name
        folder.mkdir()
        for s in scenarios:
            shutil.copy(self.files[s], folder / f"{s}.json")
        return folder

    def doc(self, scenario: str) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.files[scenario].read_text(encoding="utf-8"))
        return doc


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    root = tmp_path_factory.mktemp("report-runs")
    out = {
        name: root / f"{name}.json"
        for name in ("baseline", "stress", "failing", "unjudged", "slow")
    }
    staged = {
        "executor": "ramping-arrival-rate",
        "startRate": 20,
        "timeUnit": "1s",
        "stages": [{"duration": "2s", "target": 80}, {"duration": "2s", "target": 80}],
        "preAllocatedVUs": 10,
        "maxVUs": 40,
        "stageNames": ["ramp", "hold"],
    }
    constant = {
        "executor": "constant-arrival-rate",
        "rate": 50,
        "duration": "4s",
        "preAllocatedVUs": 10,
        "maxVUs": 40,
    }
    ai = ("--ai-speed", "1000")
    with (
        TargetProcess(ai) as fast,
        TargetProcess((*ai, "--error-rate", "0.2")) as failing,
        TargetProcess((*ai, "--latency-ms", "30")) as slow,
    ):
        jobs = {
            "baseline": (
                "judged.py",
                fast.base_url,
                ("--threshold", "checks: rate>0.99", *PASS),
                {},
            ),
            "stress": (
                str(HERE / "report_staged.py"),
                fast.base_url,
                PASS,
                {"STAGED_JSON": json.dumps(staged)},
            ),
            "failing": (
                "arrival.py",
                failing.base_url,
                ("--threshold", "http_req_failed: rate<0.01"),
                {"ARRIVAL_JSON": json.dumps(constant)},
            ),
            "unjudged": ("raw_times.py", fast.base_url, (), {}),
            "slow": ("judged.py", slow.base_url, ("--threshold", "checks: rate>0.99", *PASS), {}),
        }
        with ThreadPoolExecutor(3) as pool:  # 2-CPU machines: more would skew the runs
            futures = {
                name: pool.submit(
                    run_locust,
                    locustfile,
                    host,
                    "--summary-json",
                    str(out[name]),
                    *args,
                    run_time="4s",
                    users=5,
                    env=env,
                )
                for name, (locustfile, host, args, env) in jobs.items()
            }
            done = {name: f.result() for name, f in futures.items()}
    for name, proc in done.items():
        assert out[name].exists(), f"{name}: no results\n{proc.stdout}\n{proc.stderr}"
    assert done["failing"].returncode == 99, done["failing"].stderr
    for name in ("baseline", "stress", "slow"):
        assert done[name].returncode == 0, f"{name}\n{done[name].stderr}"
    yield Runs(out, root)


def _report(folder: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["report", str(folder), "--out", str(out), "--title", "GENESIS readiness"])
    return code, capsys.readouterr().out


# --- verdicts -----------------------------------------------------------------------------


def test_passing_runs_are_ready(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    folder = runs.folder("passing", "baseline", "stress")
    code, out = _report(folder, folder, capsys)
    assert code == 0, out
    assert "verdict: READY" in out
    md = (folder / "report.md").read_text()
    assert "## Verdict: ✅ READY" in md
    assert "NOT READY" not in md
    assert "# GENESIS readiness" in md
    html = (folder / "report.html").read_text()
    assert 'class="verdict ready"' in html
    suites = ET.parse(folder / "junit.xml").getroot()
    assert suites.get("failures") == "0" and suites.get("skipped") == "0"


def test_failed_threshold_makes_it_not_ready(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = runs.folder("mixed", "baseline", "stress", "failing")
    code, out = _report(folder, tmp_path, capsys)
    assert code == 99
    failed = next(t for t in runs.doc("failing")["thresholds"] if not t["ok"])
    observed = f"{failed['observed']:.4g} ({failed['observed'] * 100:.2f}%)"
    assert f"✗ failing: http_req_failed rate<0.01 (observed {observed})" in out
    md = (tmp_path / "report.md").read_text()
    assert "## Verdict: ❌ NOT READY" in md
    assert f"| failing | `http_req_failed` | `rate<0.01` | {observed} | ✗ |" in md
    assert "1 of 6 thresholds failed" in md
    assert 'class="verdict not-ready"' in (tmp_path / "report.html").read_text()


def test_scenario_without_thresholds_is_not_judged(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = runs.folder("unjudged", "baseline", "unjudged")
    code, out = _report(folder, tmp_path, capsys)
    assert code == 99
    assert "unjudged: no thresholds declared (not judged)" in out
    md = (tmp_path / "report.md").read_text()
    assert "NOT READY" in md
    assert "unjudged declared no thresholds, so nothing was proven about it" in md
    assert "| `(none declared)` | – | – | unjudged | – not judged |" in md


# --- content cross-checked against the JSON ------------------------------------------------


@pytest.fixture(scope="module")
def mixed_report(runs: Runs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = runs.folder("mixed-content", "baseline", "stress", "failing", "unjudged")
    out = tmp_path_factory.mktemp("mixed-report")
    assert main(["report", str(folder), "--out", str(out)]) == 99
    return out


@pytest.mark.parametrize("scenario", ["baseline", "stress", "failing", "unjudged"])
def test_report_shows_the_measured_figures(runs: Runs, mixed_report: Path, scenario: str) -> None:
    doc = runs.doc(scenario)
    duration = doc["metrics"]["http_req_duration"]["values"]
    count = int(doc["metrics"]["http_reqs"]["values"]["count"])
    rps = count / doc["meta"]["duration_s"]
    md = (mixed_report / "report.md").read_text()
    html = (mixed_report / "report.html").read_text()
    section = md.split(f"### Scenario: {scenario}\n", 1)[1].split("\n### ", 1)[0]
    failed = doc["metrics"]["http_req_failed"]["values"]["rate"]
    latencies = " | ".join(format_value(duration[s], "time") for s in ("med", "p(95)", "p(99)"))
    assert f"| {count:,} | {rps:,.1f} req/s | {failed * 100:.2f}% | {latencies} |" in section
    for row in doc["requests"]:
        p95 = format_value(row["duration_ms"]["p(95)"], "time")
        assert f"| `{row['name']}` | {','.join(row['methods'])} | {row['count']:,} |" in section
        assert p95 in section
    assert f'<div class="tile-value">{count:,}</div>' in html
    assert f'<div class="tile-value">{format_value(duration["p(95)"], "time")}</div>' in html


def test_open_model_figures_and_stages(runs: Runs, mixed_report: Path) -> None:
    doc = runs.doc("stress")
    assert doc["meta"]["stages"] == {"ramp": [0.0, 2.0], "hold": [2.0, 4.0]}
    md = (mixed_report / "report.md").read_text()
    section = md.split("### Scenario: stress\n", 1)[1].split("\n### ", 1)[0]
    corrected = doc["metrics"]["http_req_duration_corrected"]["values"]["p(99)"]
    assert f"| {format_value(corrected, 'time')} |" in section  # next to the uncorrected p99
    lag = doc["metrics"]["schedule_lag"]["values"]["p(99)"]
    assert f"| schedule lag p99 | {format_value(lag, 'time')} |" in section
    issued = int(doc["metrics"]["offered_iterations"]["values"]["count"])
    assert f"| iterations offered | {issued:,} |" in section
    assert "**Stages:** ramp 0–2 s, hold 2–4 s" in section
    checks = runs.doc("baseline")["metrics"]["checks"]["values"]
    assert f"| checks passed | {checks['rate'] * 100:.2f}% " in md


def test_scalability_separates_offered_from_proven(runs: Runs, mixed_report: Path) -> None:
    md = (mixed_report / "report.md").read_text()
    scal = md.split("## Scalability\n", 1)[1]
    assert "Capacity above the offered load was not tested" in scal
    assert "**failing:** failed thresholds, so its" in scal
    assert "not counted as proven capacity" in scal
    # runs shorter than 30 s: the proven rate is the best whole-series average of a passing
    # scenario (requests / series length), never a figure from a failing or unjudged one
    proven = scal.split("**Proven capacity:** ", 1)[1].split(" req/s", 1)[0]
    rates = {}
    for name in ("baseline", "stress"):
        points = runs.doc(name)["series"]["points"]
        count = sum(p["metrics"].get("http_reqs", {}).get("count", 0) for p in points)
        rates[name] = count / (points[-1]["end_s"] - points[0]["start_s"])
    best = max(rates, key=rates.__getitem__)
    assert proven == f"{rates[best]:,.1f}"
    assert f"req/s in {best} (whole " in scal


def test_resources_and_loadgen_section(runs: Runs, mixed_report: Path) -> None:
    md = (mixed_report / "report.md").read_text()
    res = md.split("## Resource utilization\n", 1)[1].split("\n## ", 1)[0]
    assert "no target resource samples were recorded" in res
    cpu = runs.doc("baseline")["meta"]["loadgen_cpu_percent"]
    assert f"| baseline | {cpu:.0f}% | ✓ ok |" in res


def test_optional_sections_render_generically(runs: Runs, tmp_path: Path) -> None:
    doc = runs.doc("stress")
    doc["analysis"] = {
        "breaking_point": None,
        "recovery_time_s": 12.5,
        "shed_share": 0.031,
        "offered_rps": {"peak": 80.0},
        "notes": ["a", "b"],
    }
    doc["resources"] = {
        "memory_mb": [{"t_s": 0, "rss_mb": 100.0}, {"t_s": 1, "rss_mb": 140.0}],
        "cpu_percent": [10, 30, 20],
        "connections": {"open": [3, 9]},
        "odd": "text",
        "empty": [],
    }
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "stress.json").write_text(json.dumps(doc))
    assert main(["report", str(folder)]) == 0
    md = (folder / "report.md").read_text()
    assert "| `breaking_point` | none |" in md
    assert "| `recovery_time_s` | 12.5 s |" in md
    assert "| `shed_share` | 3.10% |" in md
    assert "| `offered_rps.peak` | 80/s |" in md
    assert "| `memory_mb.rss_mb` | 2 | 120.0 MB | 140.0 MB |" in md
    assert "| `cpu_percent` | 3 | 20% | 30% |" in md
    assert "| `connections.open` | 2 | 6 | 9 |" in md


# --- JUnit ---------------------------------------------------------------------------------


def test_junit_has_one_case_per_threshold(runs: Runs, mixed_report: Path) -> None:
    root = ET.parse(mixed_report / "junit.xml").getroot()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"baseline", "stress", "failing", "unjudged"}
    for name in ("baseline", "stress", "failing"):
        thresholds = runs.doc(name)["thresholds"]
        cases = suites[name].findall("testcase")
        assert [c.get("name") for c in cases] == [
            f"{t['metric']}: {t['expression']}" for t in thresholds
        ]
        assert all(c.get("classname") == name for c in cases)
        failures = [c.find("failure") for c in cases if c.find("failure") is not None]
        assert len(failures) == sum(1 for t in thresholds if not t["ok"])
        assert suites[name].get("failures") == str(len(failures))
        assert suites[name].get("tests") == str(len(thresholds))
    failure = suites["failing"].find("testcase/failure")
    assert failure is not None and failure.get("message", "").startswith("observed 0.")
    skipped = suites["unjudged"].findall("testcase/skipped")
    assert len(skipped) == 1 and "not judged" in (skipped[0].get("message") or "")
    assert root.get("tests") == "7"  # 6 thresholds and the unjudged scenario's skipped case
    assert root.get("failures") == "1" and root.get("skipped") == "1"


# --- files, charts, self-contained HTML ----------------------------------------------------


def test_charts_are_png_files_linked_from_markdown(mixed_report: Path) -> None:
    md = (mixed_report / "report.md").read_text()
    for scenario in ("baseline", "stress", "failing", "unjudged"):
        for kind in ("throughput", "errors", "spectrum", "endpoints"):
            png = mixed_report / f"{scenario}-{kind}.png"
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert png.stat().st_size > 5000
            assert f"]({png.name})" in md


def test_html_is_self_contained(mixed_report: Path) -> None:
    html = (mixed_report / "report.html").read_text()
    assert html.count('<img alt="') == 16
    assert html.count('src="data:image/png;base64,') == 16
    for external in ('src="http', 'href="http', "<link", "<script", "url(", "@import"):
        assert external not in html
    assert html.count("<table") >= 10


def _chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_html_renders_in_headless_chromium(mixed_report: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    import base64
    import re

    from matplotlib.image import imread

    url = (mixed_report / "report.html").resolve().as_uri()
    dom = _chromium(["--dump-dom", url], tmp_path).stdout
    images = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,([^"]+)"', dom)
    assert len(images) == 16, dom[:2000]
    for data in images:
        png = base64.b64decode(data)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    shot = tmp_path / "report.png"
    _chromium([f"--screenshot={shot}", "--window-size=1280,4000", url], tmp_path)
    pixels = imread(shot)
    assert pixels.shape[:2] == (4000, 1280)
    colors = np.unique((pixels[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colors) > 50, "the screenshot is (nearly) blank"


# --- compare -------------------------------------------------------------------------------


def test_compare_detects_a_latency_regression(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmp.json"
    code = main(
        ["compare", str(runs.files["baseline"]), str(runs.files["slow"]), "--json", str(out)]
    )
    text = capsys.readouterr().out
    assert code == 1, text
    result = json.loads(out.read_text())
    assert result["regressed"] is True
    overall = next(r for r in result["rows"] if r["endpoint"] is None)
    assert overall["scenario"] == "baseline → slow"
    assert any(r.startswith("p95 +") for r in overall["regressions"])
    old_p95 = runs.doc("baseline")["metrics"]["http_req_duration"]["values"]["p(95)"]
    new_p95 = runs.doc("slow")["metrics"]["http_req_duration"]["values"]["p(95)"]
    assert overall["old"]["p95_ms"] == old_p95 and overall["new"]["p95_ms"] == new_p95
    assert "rows regressed" in text


def test_compare_against_itself_finds_nothing(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(runs.files["failing"])
    assert main(["compare", path, path]) == 0
    assert "no regression in 2 rows" in capsys.readouterr().out


def test_compare_directories_lists_added_and_removed(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    old = runs.folder("cmp-old", "baseline", "failing")
    new = runs.folder("cmp-new", "baseline", "stress")
    assert main(["compare", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert "added (not compared): stress" in text
    assert "removed (not compared): failing" in text


# --- bad input -----------------------------------------------------------------------------


def _bad_folder(tmp_path: Path, runs: Runs, kind: str) -> tuple[Path, list[str]]:
    folder = tmp_path / kind
    folder.mkdir()
    if kind == "empty":
        return folder, [str(folder), "no results files"]
    if kind == "foreign":
        (folder / "k6.json").write_text(json.dumps({"metrics": {}, "root_group": {}}))
        return folder, ["k6.json", "not a genesis-load results file"]
    if kind == "version-999":
        doc = runs.doc("baseline")
        doc["version"] = 999
        (folder / "future.json").write_text(json.dumps(doc))
        return folder, ["future.json", "version 999"]
    assert kind == "several"
    shutil.copy(runs.files["baseline"], folder / "baseline.json")
    (folder / "broken.json").write_text("{not json")
    (folder / "k6.json").write_text("{}")
    return folder, ["broken.json", "k6.json"]


@pytest.mark.parametrize("kind", ["empty", "foreign", "version-999", "several"])
def test_bad_input_exits_2_naming_the_file(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    folder, expected = _bad_folder(tmp_path, runs, kind)
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    for text in expected:
        assert text in err
    assert not (folder / "report.md").exists()
    assert main(["compare", str(folder), str(runs.files["baseline"])]) == 2
    assert expected[0] in capsys.readouterr().err


def test_report_of_one_results_file_instead_of_a_folder(runs: Runs, tmp_path: Path) -> None:
    # one file is a report of one run (it used to be refused with exit 2)
    assert main(["report", str(runs.files["baseline"]), "--out", str(tmp_path)]) == 0
    md = (tmp_path / "report.md").read_text()
    assert "READY" in md and "Scenario: baseline" in md


def test_error_handling_section_counts_error_statuses(runs: Runs, mixed_report: Path) -> None:
    md = (mixed_report / "report.md").read_text()
    section = md.split("## Error handling\n", 1)[1].split("\n## ", 1)[0]
    failing = next(line for line in section.splitlines() if line.startswith("| failing |"))
    failed = runs.doc("failing")["metrics"]["http_req_failed"]["values"]["passes"]
    assert f"{failed:,.0f} (" in failing and "500: " in failing
    assert "does not observe data integrity" in section
