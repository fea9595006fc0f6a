"""Compatibility: the results file's reading and writing moved to :mod:`genesis_load.results`."""

from ..results.io import check_writable

__all__ = ["check_writable"]
