"""The genesis-load tabs in Locust's web UI, on a real web-UI run and in headless Chromium.

Screenshots of both tabs go to ``$WEBUI_SCREENSHOT_DIR`` when set (else the test's tmp_path).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import locust.env  # first: Locust monkey-patches ssl (gevent) before requests imports it
import pytest
import requests

from genesis_load.plugin import PluginConfig, attach
from genesis_load.plugin.webui import REQUESTS_TAB, ROUTE, THRESHOLDS_TAB
from genesis_load.target import TargetProcess
from tests.helpers import LOCUSTFILES, run_locust

CHROMIUM = "/usr/bin/chromium"
ABORT_EXPRESSION = "p(99)<0.001"  # no request is that fast: fails, and aborts the run
THRESHOLDS = {
    "http_req_duration": ["p(95)<2000"],
    "http_req_failed": ["rate<0.01"],
    "http_req_duration{name:/api/v1/plans}": [
        {"threshold": ABORT_EXPRESSION, "abortOnFail": True, "delayAbortEval": "8s"}
    ],
}
DECLARED = {
    ("http_req_duration", "p(95)<2000"): True,
    ("http_req_failed", "rate<0.01"): True,
    ("http_req_duration{name:/api/v1/plans}", ABORT_EXPRESSION): False,
}
NAMES = {"/health", "/api/v1/plans"}


@dataclass
class UiRun:
    url: str
    proc: subprocess.Popen[str]

    def get(self, path: str) -> dict[str, Any]:
        response = requests.get(self.url + path, timeout=5)
        response.raise_for_status()
        doc: dict[str, Any] = response.json()
        return doc

    def wait_for(self, ready: Callable[[dict[str, Any]], bool], timeout_s: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            assert self.proc.poll() is None, "locust exited early"
            try:
                doc = self.get(ROUTE)
                if ready(doc):
                    return doc
            except requests.RequestException:
                pass  # the web UI is still starting
            assert time.monotonic() < deadline, f"timed out waiting on {ROUTE}"
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def ui_run(target: TargetProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiRun]:
    """``locust -f judged.py --autostart`` with its web UI; aborted by a threshold at ~8 s."""
    port = _free_port()
    log = tmp_path_factory.mktemp("webui") / "locust.log"
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILES / "judged.py"),
        "--host", target.base_url, "--web-host", "127.0.0.1", "--web-port", str(port),
        "--autostart", "-u", "3", "-r", "3", "--run-time", "30s", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "THRESHOLDS_JSON": json.dumps(THRESHOLDS)}
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        yield UiRun(f"http://127.0.0.1:{port}", proc)
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert "Traceback" not in log.read_text(), log.read_text()


def _counts(locust_report: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in locust_report["stats"]:
        if s["name"] != "Aggregated":
            counts[s["name"]] = counts.get(s["name"], 0) + s["num_requests"]
    return counts


@pytest.mark.slow
def test_live_rows_count_what_locust_counts_with_ordered_exact_percentiles(ui_run: UiRun) -> None:
    ui_run.wait_for(lambda d: {r["name"] for r in d["requests"]} == NAMES, timeout_s=20)
    before = {r["name"]: r for r in ui_run.get(ROUTE)["requests"]}
    report = ui_run.get("/stats/requests")
    after = ui_run.get(ROUTE)
    assert after["state"] == "running" and not after["final"], "checked while the test runs"
    locust_counts = _counts(report)
    for name in NAMES:
        # Locust's stats and genesis-load listen to the same request event: in between two
        # reads of ours, Locust's count lies between them.
        assert before[name]["count"] <= locust_counts[name], name
        assert locust_counts[name] <= {r["name"]: r for r in after["requests"]}[name]["count"]
    # The rows added to Locust's own /stats/requests answer are computed in the same request,
    # with no request recorded in between: the counts are equal.
    tables = {t["key"]: t["data"] for t in report["extended_stats"]}
    assert {r["name"]: r["count"] for r in tables[REQUESTS_TAB]} == locust_counts
    for row in after["requests"]:
        ms = row["duration_ms"]
        assert 0 < ms["p(50)"] <= ms["p(90)"] <= ms["p(95)"] <= ms["p(99)"] <= ms["max"], row
        assert row["failed"] == 0 and row["rps"] > 0 and row["methods"] == ["GET"]
    live = {(t["metric"], t["expression"]): t for t in after["thresholds"]}
    assert set(live) == set(DECLARED)
    for key, ok in DECLARED.items():
        assert (
            live[key]["ok"] is ok and live[key]["observed"] is not None and not live[key]["final"]
        )
    assert after["aborted"] is None and after["verdict"] is None
    assert live[("http_req_duration", "p(95)<2000")]["unit"] == "ms"
    assert live[("http_req_failed", "rate<0.01")]["unit"] == ""


@pytest.mark.slow
def test_the_final_verdict_names_the_aborting_threshold(ui_run: UiRun) -> None:
    doc = ui_run.wait_for(lambda d: d["final"], timeout_s=30)
    assert doc["state"] == "stopped"
    judged = {(t["metric"], t["expression"]): t for t in doc["thresholds"]}
    assert {k: t["ok"] for k, t in judged.items()} == DECLARED
    aborting = judged[("http_req_duration{name:/api/v1/plans}", ABORT_EXPRESSION)]
    assert aborting["aborted_run"] and aborting["abort_on_fail"] and aborting["final"]
    assert doc["aborted"] and ABORT_EXPRESSION in doc["aborted"]
    assert doc["verdict"] == {"thresholds_ok": False, "aborted": doc["aborted"], "exit_code": 108}
    assert 8 <= doc["duration_s"] < 20, "aborted after delayAbortEval, long before --run-time"
    tables = {t["key"]: t["data"] for t in ui_run.get("/stats/requests")["extended_stats"]}
    rows = {t["expression"]: t for t in tables[THRESHOLDS_TAB]}
    assert rows[ABORT_EXPRESSION]["verdict"] == f"✗ {doc['aborted']}"
    assert rows["rate<0.01"]["verdict"] == "✓ passed"


class _Page(HTMLParser):
    """The tab labels and the table cells of a dumped Locust page."""

    def __init__(self) -> None:
        super().__init__()
        self.tabs: list[str] = []
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "button" and ("role", "tab") in attrs:
            self._in, self._text = "tab", ""
        elif tag in ("th", "td"):
            self._in, self._text = tag, ""
        elif tag == "tr":
            self.rows.append([])

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._in == "tab" and tag == "button":
            self.tabs.append(self._text)
        elif self._in == "th" and tag == "th":
            self.headers.append(self._text)
        elif self._in == "td" and tag == "td":
            self.rows[-1].append(self._text)
        else:
            return
        self._in = None


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium'}", "--virtual-time-budget=5000",
        "--window-size=1500,800", *args,
    ]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True)


def _page(tmp_path: Path, url: str) -> _Page:
    page = _Page()
    page.feed(_chromium(tmp_path, "--dump-dom", url).stdout)
    return page


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no {CHROMIUM}")
def test_headless_chromium_shows_both_tabs_with_the_data(ui_run: UiRun, tmp_path: Path) -> None:
    doc = ui_run.wait_for(lambda d: d["final"], timeout_s=30)

    page = _page(tmp_path, f"{ui_run.url}/?tab={REQUESTS_TAB}")
    assert {"genesis-load: requests", "genesis-load: thresholds"} <= set(page.tabs), page.tabs
    assert page.headers[:5] == ["Name", "Method", "# Requests", "# Fails", "Req/s"]
    shown = {row[0]: row for row in page.rows if row}
    for r in doc["requests"]:
        ms = r["duration_ms"]
        expected = [r["name"], "GET", str(r["count"]), "0"]
        assert shown[r["name"]][:4] == expected
        assert shown[r["name"]][5:] == [
            str(ms[s]) for s in ("p(50)", "p(90)", "p(95)", "p(99)", "max")
        ]

    page = _page(tmp_path, f"{ui_run.url}/?tab={THRESHOLDS_TAB}")
    shown = {row[1]: row for row in page.rows if row}
    assert set(shown) == {expression for _, expression in DECLARED}
    assert shown["rate<0.01"][3:5] == ["✓", "no"]
    assert shown[ABORT_EXPRESSION][3:5] == ["✗", "yes"]
    assert shown[ABORT_EXPRESSION][6] == f"✗ {doc['aborted']}"
    assert shown["p(95)<2000"][2].endswith(" ms")

    shots = Path(os.environ.get("WEBUI_SCREENSHOT_DIR", tmp_path))
    for tab in (REQUESTS_TAB, THRESHOLDS_TAB):
        shot = shots / f"{tab}.png"
        _chromium(tmp_path, f"--screenshot={shot}", f"{ui_run.url}/?tab={tab}")
        assert shot.stat().st_size > 10_000


@pytest.mark.slow
def test_headless_runs_register_nothing_and_still_judge(target: TargetProcess) -> None:
    proc = run_locust(
        "judged.py", target.base_url, run_time="2s", users=2,
        env={"THRESHOLDS_JSON": json.dumps({"http_req_failed": ["rate<0.01"]})},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "web UI" not in proc.stderr


def test_a_failing_view_answers_500_and_leaves_locusts_stats_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = locust.env.Environment(user_classes=[])
    # the web UI first: built with a runner, it reads sys.argv (pytest's) for its options
    web_ui = env.create_web_ui("127.0.0.1", 0, delayed_start=True)
    env.create_local_runner()
    runtime = attach(env, PluginConfig(thresholds=("http_req_failed: rate<0.01",)))
    try:
        assert [t["key"] for t in web_ui.template_args["extended_tabs"]] == [
            REQUESTS_TAB, THRESHOLDS_TAB,
        ]  # fmt: skip
        assert web_ui.app is not None
        client = web_ui.app.test_client()
        ok = client.get(ROUTE).get_json()
        assert ok["requests"] == [] and ok["final"] is False
        assert [t["observed"] for t in ok["thresholds"]] == [None] * len(ok["thresholds"])
        assert ("http_req_failed", "rate<0.01") in {
            (t["metric"], t["expression"]) for t in ok["thresholds"]
        }

        def broken() -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(runtime.collector, "live", broken)
        failed = client.get(ROUTE)
        assert failed.status_code == 500
        assert failed.get_json() == {"error": "RuntimeError: boom"}
        stats = client.get("/stats/requests")
        assert stats.status_code == 200 and "extended_stats" not in stats.get_json()
    finally:
        runtime.detach()
        if env.runner is not None:
            env.runner.quit()
