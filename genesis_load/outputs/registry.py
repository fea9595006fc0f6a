"""Output names -> constructors (one plain dict, as k6's ``internal/cmd/outputs.go``).

``--out NAME=ARG`` (repeatable) picks outputs by name; the older flags are aliases:
``--summary-json P`` is ``--out json=P``, ``--hdr-log P`` is ``--out hlog=P``, ``--live-status P``
is ``--out live=P``, and the terminal summary is ``--out summary`` (on unless
``--no-genesis-summary``). Adding an output is one module and one line in :data:`OUTPUTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..errors import ConfigError
from ..results.io import check_writable
from .base import Output
from .csv_file import CsvOutput
from .hlog import HlogOutput
from .json_file import JsonOutput
from .live_status import LiveStatusOutput
from .otel import OtelOutput
from .prometheus import PrometheusOutput
from .summary import SummaryOutput

__all__ = ["OUTPUTS", "OutputSpec", "build_outputs", "parse_out"]


@dataclass(frozen=True)
class _Entry:
    make: Callable[[str], Output]
    #: ARG is a file path that must be writable before the run (else optional text).
    needs_path: bool
    help: str


OUTPUTS: dict[str, _Entry] = {
    "json": _Entry(JsonOutput, True, "the results file (docs/results.schema.json)"),
    "csv": _Entry(CsvOutput, True, "exact metrics per interval and for the run, one per row"),
    "hlog": _Entry(HlogOutput, True, "HdrHistogram interval log of http_req_duration"),
    "live": _Entry(LiveStatusOutput, True, "small progress file, rewritten every interval"),
    "summary": _Entry(SummaryOutput, False, "the end-of-test summary (stdout, or a file)"),
    "prometheus": _Entry(PrometheusOutput, False, "live metrics for Prometheus (HOST:PORT)"),
    "otel": _Entry(OtelOutput, False, "metrics pushed over OTLP/HTTP (URL; the otel extra)"),
}


@dataclass(frozen=True)
class OutputSpec:
    name: str
    arg: str = ""
    #: The option that asked for it, for error messages (``--out``, ``--summary-json``...).
    option: str = "--out"


def parse_out(text: str) -> OutputSpec:
    """``NAME`` or ``NAME=ARG`` (k6's ``--out`` syntax)."""
    name, _, arg = text.partition("=")
    return OutputSpec(name.strip(), arg.strip())


def build_outputs(specs: Iterable[OutputSpec]) -> list[Output]:
    """The outputs asked for, checked before any load; one ConfigError lists every problem."""
    outputs: list[Output] = []
    problems: list[str] = []
    known = ", ".join(sorted(OUTPUTS))
    for spec in specs:
        shown = f"{spec.option} {spec.name}" + (f"={spec.arg}" if spec.arg else "")
        entry = OUTPUTS.get(spec.name)
        if entry is None:
            problems.append(f"{shown}: unknown output {spec.name!r} (known: {known})")
            continue
        if entry.needs_path:
            if not spec.arg:
                problems.append(f"{shown}: output {spec.name!r} needs a path ({spec.name}=PATH)")
                continue
            try:
                check_writable(spec.arg, spec.option)
            except ConfigError as e:
                problems.extend(e.problems)
                continue
        outputs.append(entry.make(spec.arg))
    if problems:
        raise ConfigError(problems)
    return outputs
