"""The JSON results file (``--out json=PATH``, alias ``--summary-json PATH``).

Writes the whole :class:`~genesis_load.results.Results` document atomically at the end of the
run, and again if an interrupted run is finalised twice (the second write has the last
requests). The layout is the schema's (docs/results.schema.json).
"""

from __future__ import annotations

from ..results.io import encode_json, write_atomic
from ..results.schema import Results
from .base import Output

__all__ = ["JsonOutput"]


class JsonOutput(Output):
    def __init__(self, path: str) -> None:
        self.path = path

    def stop(self, results: Results) -> None:
        write_atomic(self.path, encode_json(results))
