"""The genesis-load tabs in Locust's web UI: exact live percentiles and threshold states.

Owns one read-only view of a :class:`~genesis_load.plugin.session.Session` for the
browser, and its registration with Locust's web UI. It computes nothing itself: the request rows
come from :func:`~genesis_load.results.request_rows` and live threshold values from
:func:`~genesis_load.thresholds.evaluate`, both over ``collector.live()`` (the closed intervals
plus the open one), once per HTTP request.

Registration uses the extension points of Locust's own ``examples/extend_web_ui.py``:

- ``web_ui.template_args["extended_tabs"]``: a tab per ``{"title", "key"}``;
- ``web_ui.template_args["extended_tables"]``: each tab's columns, ``{"key", "structure"}``;
- an ``"extended_stats"`` entry, ``[{"key", "data": [row, ...]}]``, added to the
  ``/stats/requests`` JSON by an ``after_request`` hook: the page polls that URL every 2 s while
  a test runs, and renders each tab's rows from it (keys are camel-cased by the page).

``GET <web-base-path>/genesis-load/stats`` returns the whole view as JSON. Nothing here runs in
headless runs or on workers (they have no web UI), and nothing here can break a run: an error
becomes a logged 500 JSON answer on the route and is left out of ``/stats/requests``.

Usage, for an ``Environment`` built in code (``locust -f`` runs do this at init)::

    web_ui = env.create_web_ui("127.0.0.1", 8089)
    add_tabs(web_ui, attach(env))
"""

from __future__ import annotations

import json
import logging
import math
import time
from typing import Any

import msgspec
from flask import Blueprint, Response, request
from locust.web import WebUI

from ..metrics.store import Store
from ..results.build import request_rows
from ..thresholds import Threshold, evaluate
from .session import Session

__all__ = [
    "REQUESTS_TAB",
    "ROUTE",
    "THRESHOLDS_TAB",
    "add_tabs",
    "requests_table",
    "thresholds_table",
    "view",
]

log = logging.getLogger("genesis_load")

ROUTE = "/genesis-load/stats"
REQUESTS_TAB = "genesis-load-requests"
THRESHOLDS_TAB = "genesis-load-thresholds"

#: Latency stats of each request row, in milliseconds (HdrHistogram nearest rank).
LIVE_TREND_STATS: tuple[str, ...] = ("p(50)", "p(90)", "p(95)", "p(99)", "max")

_REQUEST_COLUMNS = [
    {"key": "name", "title": "Name"},
    {"key": "method", "title": "Method"},
    {"key": "count", "title": "# Requests"},
    {"key": "failed", "title": "# Fails"},
    {"key": "rps", "title": "Req/s"},
    {"key": "p50", "title": "p50 (ms)"},
    {"key": "p90", "title": "p90 (ms)"},
    {"key": "p95", "title": "p95 (ms)"},
    {"key": "p99", "title": "p99 (ms)"},
    {"key": "max", "title": "Max (ms)"},
]
_THRESHOLD_COLUMNS = [
    {"key": "name", "title": "Metric"},
    {"key": "expression", "title": "Threshold"},
    {"key": "observed", "title": "Observed"},
    {"key": "status", "title": "Status"},
    {"key": "abort_on_fail", "title": "abortOnFail"},
    {"key": "scope", "title": "Scope"},
    {"key": "verdict", "title": "Verdict"},
]


# -- the view (plain data) --------------------------------------------------------------------
def view(runtime: Session, now_s: float | None = None) -> dict[str, Any]:
    """Everything the tabs show, JSON-able (no NaN): requests, thresholds, abort, verdict.

    While the run goes on, ``duration_s`` is ``now - start``; once its results exist (the run
    ended), the run's own duration, so req/s match the results file.
    """
    collector = runtime.collector
    store = collector.live()
    final = runtime.results
    if final is not None:
        duration_s = collector.duration_s
    else:
        duration_s = max((time.time() if now_s is None else now_s) - collector.start_s, 0.0)
    runner = runtime.environment.runner
    return {
        "state": runner.state if runner is not None else None,
        "final": final is not None,
        "duration_s": duration_s,
        "requests": _finite(msgspec.to_builtins(request_rows(store, duration_s, LIVE_TREND_STATS))),
        "thresholds": _finite(_threshold_states(runtime, store, duration_s)),
        "aborted": runtime.abort_reason,
        "verdict": msgspec.to_builtins(final.verdict) if final is not None else None,
    }


def _threshold_states(runtime: Session, store: Store, duration_s: float) -> list[dict[str, Any]]:
    runner = runtime.thresholds
    if runner is None:
        return []
    judged = runtime.results.thresholds if runtime.results is not None else None
    abort = runner.engine.abort
    out = []
    for i, t in enumerate(runner.thresholds):
        if judged is not None and i < len(judged):
            observed, ok, aborted = judged[i].observed, judged[i].ok, judged[i].aborted_run
        else:
            r = evaluate(t, store, duration_s)
            observed, ok = r.observed, r.ok
            aborted = abort is not None and abort.threshold == t
        out.append(
            {
                "metric": str(t.selector),
                "expression": t.expression.text,
                "observed": observed,
                "ok": ok,
                "abort_on_fail": t.abort_on_fail,
                "aborted_run": aborted,
                "unit": _unit(store, t),
                "scope": _scope(t),
                "final": judged is not None,
            }
        )
    return out


def _unit(store: Store, t: Threshold) -> str:
    """``ms`` for a time trend's stats (not its count), else empty."""
    metric = store.metric(t.selector.metric)
    is_time = metric is not None and metric.kind == "trend" and metric.contains == "time"
    return "ms" if is_time and t.expression.aggregation != "count" else ""


def _scope(t: Threshold) -> str:
    if t.stage:
        return f"stage {t.stage}"
    if t.window_s:
        return f"{t.window_s[0]:g}-{t.window_s[1]:g} s"
    return "whole run"


def _finite(value: Any) -> Any:
    """NaN and infinities become None, at any depth (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


# -- the tables (what the page renders) -------------------------------------------------------
def requests_table(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per request name: counts and exact percentiles in ms (to the µs stored)."""
    rows = []
    for r in doc["requests"]:
        ms = r["duration_ms"]
        rows.append(
            {
                "name": r["name"],
                "method": ", ".join(r["methods"]),
                "count": r["count"],
                "failed": r["failed"],
                "rps": round(r["rps"], 2),
                **{
                    key: _ms(ms.get(stat))
                    for key, stat in (
                        ("p50", "p(50)"), ("p90", "p(90)"), ("p95", "p(95)"), ("p99", "p(99)"),
                        ("max", "max"),
                    )
                },
            }
        )  # fmt: skip
    return rows


def thresholds_table(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per threshold: observed value, state now, abortOnFail and the final verdict."""
    rows = []
    for t in doc["thresholds"]:
        observed = t["observed"]
        if observed is None:
            status = "✗ no data" if t["final"] else "no data"
        else:
            status = "✓" if t["ok"] else "✗"
        if t["aborted_run"]:
            verdict = f"✗ {doc['aborted']}" if doc["aborted"] else "✗ aborted the run"
        elif t["final"]:
            verdict = "✓ passed" if t["ok"] else "✗ failed"
        else:
            verdict = "running"
        rows.append(
            {
                "name": t["metric"],
                "expression": t["expression"],
                "observed": "—" if observed is None else f"{observed:.6g} {t['unit']}".strip(),
                "status": status,
                "abort_on_fail": "yes" if t["abort_on_fail"] else "no",
                "scope": t["scope"],
                "verdict": verdict,
            }
        )
    return rows


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


# -- registration (the Flask shell) -----------------------------------------------------------
def add_tabs(web_ui: WebUI, runtime: Session) -> None:
    """Add the genesis-load tabs and JSON route to a Locust web UI (call before it serves).

    A thresholds tab is added only when thresholds are declared (they are known at init).
    """
    tabs = [{"title": "genesis-load: requests", "key": REQUESTS_TAB}]
    tables = [{"key": REQUESTS_TAB, "structure": _REQUEST_COLUMNS}]
    if runtime.thresholds is not None:
        tabs.append({"title": "genesis-load: thresholds", "key": THRESHOLDS_TAB})
        tables.append({"key": THRESHOLDS_TAB, "structure": _THRESHOLD_COLUMNS})
    args = web_ui.template_args
    args["extended_tabs"] = [*args.get("extended_tabs", []), *tabs]
    args["extended_tables"] = [*args.get("extended_tables", []), *tables]

    def stats() -> Response:
        try:
            body = json.dumps(view(runtime), allow_nan=False)
        except Exception as e:
            log.exception("genesis-load: %s failed", ROUTE)
            error = json.dumps({"error": f"{type(e).__name__}: {e}"})
            return Response(error, status=500, mimetype="application/json")
        return Response(body, mimetype="application/json")

    def extend_stats_response(response: Response) -> Response:
        if request.endpoint != "locust.request_stats" or response.status_code != 200:
            return response
        try:
            report = response.get_json(silent=True)
            if not isinstance(report, dict):
                return response
            doc = view(runtime)
            extended = [{"key": REQUESTS_TAB, "data": requests_table(doc)}]
            if runtime.thresholds is not None:
                extended.append({"key": THRESHOLDS_TAB, "data": thresholds_table(doc)})
            report["extended_stats"] = [*report.get("extended_stats", []), *extended]
            response.set_data(json.dumps(report, allow_nan=False))
        except Exception:
            log.exception("genesis-load: could not add the web UI tabs to /stats/requests")
        return response

    app = web_ui.app
    if app is None:
        return
    base_path = getattr(web_ui.environment.parsed_options, "web_base_path", None) or ""
    blueprint = Blueprint("genesis_load", __name__, url_prefix=base_path or None)
    blueprint.add_url_rule(ROUTE, "stats", web_ui.auth_required_if_enabled(stats))
    try:
        app.register_blueprint(blueprint)
        app.after_request(extend_stats_response)
    except AssertionError as e:  # Flask refuses new routes once it has served a request
        log.warning("genesis-load: web UI tabs not added (%s)", e)
