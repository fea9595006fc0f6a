"""Outputs: every destination of a run's results, behind one interface (:class:`Output`).

The JSON results file, the terminal summary, the HDR interval log, the live status file and
CSV are all outputs, picked by name from :data:`OUTPUTS` (``--out NAME=ARG``).
"""

from .base import IntervalSample, Output
from .registry import OUTPUTS, OutputSpec, build_outputs, parse_out
from .summary import print_summary

__all__ = [
    "OUTPUTS",
    "IntervalSample",
    "Output",
    "OutputSpec",
    "build_outputs",
    "parse_out",
    "print_summary",
]
