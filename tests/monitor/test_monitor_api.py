"""The public surface of genesis_load.monitor: its names, its protocol, its examples, its
imports."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

import genesis_load.monitor as monitor
from genesis_load.monitor import PidSource, PrometheusSource, SelfSource, Source


def test_public_names() -> None:
    assert sorted(monitor.__all__) == [
        "FIELDS",
        "FieldStats",
        "LOADGEN_CPU_LIMIT_PERCENT",
        "PidSource",
        "ProcessSample",
        "PrometheusSource",
        "Reading",
        "ResourceMonitor",
        "ResourceSeries",
        "SelfSource",
        "Source",
        "next_tick",
        "parse_process_metrics",
    ]


@pytest.mark.parametrize(
    "source",
    [PrometheusSource("http://127.0.0.1:9/metrics"), PidSource(1), SelfSource()],
    ids=["prometheus", "pid", "self"],
)
def test_every_built_in_source_satisfies_the_protocol(source: Source) -> None:
    assert isinstance(source, Source)


@pytest.mark.parametrize("module", ["monitor", "prometheus", "series"])
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"genesis_load.monitor.{module}"))
    assert result.failed == 0 and result.attempted > 0


def test_the_loadgen_limit_matches_the_reports() -> None:
    from genesis_load.report.verdict import LOADGEN_CPU_LIMIT_PERCENT

    assert monitor.LOADGEN_CPU_LIMIT_PERCENT == LOADGEN_CPU_LIMIT_PERCENT


def test_importing_monitor_imports_neither_locust_nor_gevent() -> None:
    code = (
        "import sys, genesis_load.monitor; "
        "print(sorted(m for m in ('locust', 'gevent') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
