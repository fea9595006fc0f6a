"""Outputs: the terminal summary, the JSON results document, the HDR interval log."""

from .hlog import HlogOutput
from .results import build_results, load_results, write_json_atomic
from .summary import print_summary

__all__ = ["HlogOutput", "build_results", "load_results", "print_summary", "write_json_atomic"]
