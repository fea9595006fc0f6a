"""Micro-benchmarks of the measurement side, per call (issue 15, design note 0012).

    python -m benchmarks.micro_recording                       # prints one table
    python -m benchmarks.micro_recording --json before.json    # also saves the numbers
    python -m benchmarks.micro_recording --compare before.json # before / after / ratio

Each row is the best of ``--repeat`` runs of ``--number`` calls, in CPU time of this process
(``time.process_time``: on a shared machine, time spent descheduled is not counted), as ns per
call, lower is better; it runs in-process, no network, no Locust runner. Only public entry
points are timed, so the same file measures the code before and after an optimisation:

- ``record_request`` without context (a plain ``FastHttpUser``: Locust passes ``{}``), with the
  context a scenario VU's request carries (a new dict per request, as Locust builds it:
  ``{**user.context(), **context}``), and the whole ``Recorder.on_request`` listener with an
  ``X-Cache`` and a ``Server-Timing`` header;
- one iteration's four scenario samples (``schedule_lag``, ``iterations``,
  ``iteration_duration``, ``iteration_duration_corrected``) fired through a ``SampleHook``
  into ``Recorder.on_scenario_sample``, the way ``ScenarioUser`` fires them (its tags dict is
  the same object every iteration); and a custom metric with a literal tags dict per call;
- one abort check of the threshold watcher with N request series (names) in the run: 2
  ``abortOnFail`` thresholds, after 3 closed intervals, with data in the open interval
  (the cost grows with the series, not with the intervals: closed ones are merged).
"""

from __future__ import annotations

import argparse
import json
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

Row = tuple[str, float]


def _time(fn: Callable[[], object], number: int, repeat: int) -> float:
    """Best CPU ns per call of ``fn`` over ``repeat`` runs of ``number`` calls."""
    runs = timeit.repeat(fn, number=number, repeat=repeat, timer=time.process_time)
    return min(runs) / number * 1e9


def _recording(number: int, repeat: int) -> list[Row]:
    from locust.env import Environment

    from genesis_load.metrics.collector import Collector
    from genesis_load.metrics.metric import BUILTIN_METRICS, SampleHook, Trend
    from genesis_load.plugin.recorder import Recorder

    rows: list[Row] = []
    c = Collector(start_s=time.time())
    names = [f"/api/v1/item{i}" for i in range(10)]
    n = [0]

    def plain() -> None:
        n[0] += 1
        c.record_request("GET", names[n[0] % 10], 200, 12.345, False, 512, {})

    rows.append(("record_request, no context", _time(plain, number, repeat)))

    user_tags = {"scenario": "checkout", "flow": "a"}

    def with_context() -> None:
        n[0] += 1
        context = {**user_tags, "_lag_ms": 0.25}  # Locust builds a new dict per request
        c.record_request("GET", names[n[0] % 10], 200, 12.345, False, 512, context)

    rows.append(("record_request, scenario context", _time(with_context, number, repeat)))

    env = Environment()
    rec = Recorder(env, Collector(start_s=time.time()))

    class Response:
        status_code = 200
        _elapsed = 0.0101

        def __init__(self) -> None:
            self.headers = {
                "Content-Type": "application/json",
                "X-Cache": "HIT",
                "Server-Timing": "db;dur=1.2, app;dur=3.4",
            }

    resp = Response()

    def on_request_headers() -> None:
        n[0] += 1
        rec.on_request("GET", names[n[0] % 10], 12.3, 100, resp, {}, None)

    rows.append(
        ("Recorder.on_request, 2 header metrics", _time(on_request_headers, number, repeat))
    )

    hook = SampleHook()
    hook.add_listener(rec.on_scenario_sample)
    m = BUILTIN_METRICS
    vu_tags = {"scenario": "checkout"}  # ScenarioUser._tags: one dict per VU

    def iteration() -> None:
        hook.fire(m["schedule_lag"], 0.2, vu_tags)
        hook.fire(m["iterations"], 1, vu_tags)
        hook.fire(m["iteration_duration"], 12.5, vu_tags)
        hook.fire(m["iteration_duration_corrected"], 12.7, vu_tags)

    rows.append(("4 scenario samples (one iteration)", _time(iteration, number, repeat)))

    custom = Trend("micro_ttft", time=True)
    hook2 = SampleHook()
    hook2.add_listener(rec.on_scenario_sample)

    def custom_sample() -> None:
        hook2.fire(custom.metric, 812.5, {"agent": "BLAZE"})

    rows.append(("custom Trend sample, literal tags", _time(custom_sample, number, repeat)))
    return rows


def _abort_check(series: int, repeat: int) -> Row:
    from genesis_load.metrics.collector import Collector
    from genesis_load.thresholds import ThresholdEngine, thresholds_from_mapping

    engine = ThresholdEngine(
        thresholds_from_mapping(
            {
                "http_req_duration": [{"threshold": "p(95)<10000", "abortOnFail": True}],
                "http_req_failed": [{"threshold": "rate<0.5", "abortOnFail": True}],
            }
        )
    )
    c = Collector(0.0)
    c.interval_listeners.append(engine.on_interval)
    for t in range(4):
        for i in range(series):
            for status in (200, 200, 200, 500):
                c.record_request("GET", f"/item/{i}", status, 5.0 + t + i, status == 500)
        if t < 3:
            c.roll(float(t + 1))
    source = getattr(c, "live_view", c.live)  # the watcher's input (live() before issue 15)

    def check() -> None:
        assert engine.check_abort(source(), 4.0) is None

    number = max(1, 500 // series)
    return (f"abort check, {series} series", _time(check, number, repeat))


def measure(number: int, repeat: int, series: list[int]) -> list[Row]:
    rows = _recording(number, repeat)
    rows += [_abort_check(n, repeat) for n in series]
    return rows


def _fmt(ns: float) -> str:
    return f"{ns / 1000:,.2f} µs" if ns >= 10_000 else f"{ns:,.0f} ns"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.micro_recording",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--number", type=int, default=20_000, help="calls per run")
    parser.add_argument("--repeat", type=int, default=7, help="runs (the best is kept)")
    parser.add_argument("--series", default="10,100,1000", help="series counts, abort check")
    parser.add_argument("--json", type=Path, help="write the numbers here (ns per call)")
    parser.add_argument("--compare", type=Path, help="a --json file of an earlier run")
    args = parser.parse_args(argv)
    rows = measure(args.number, args.repeat, [int(s) for s in args.series.split(",")])
    before: dict[str, Any] = json.loads(args.compare.read_text()) if args.compare else {}
    if before:
        print("| call | before | after | after / before |\n|---|---:|---:|---:|")
    else:
        print("| call | per call |\n|---|---:|")
    for label, ns in rows:
        if before:
            old = before.get(label)
            ratio = f"{ns / old:.2f}" if old else "—"
            print(f"| {label} | {_fmt(old) if old else '—'} | {_fmt(ns)} | {ratio} |")
        else:
            print(f"| {label} | {_fmt(ns)} |")
    if args.json:
        args.json.write_text(json.dumps(dict(rows), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
