"""CSV of the exact metrics (``--out csv=PATH``): every interval as it closes, then the whole run.

Locust's own CSV carries its rounded statistics; this one carries genesis-load's HDR figures in
a long layout that spreadsheets, pandas and ``awk`` read alike (one value per row)::

    scope,start_s,end_s,metric,stat,value
    interval,0.0,1.0,http_reqs,count,99
    interval,0.0,1.0,http_req_duration{name:/health},p(95),14.2
    ...
    run,0.0,20.0,http_req_duration,p(99),17.1

``scope`` is ``interval`` for a series point (run-relative seconds, written and flushed when the
interval closes, so a crash keeps what was measured) and ``run`` for the whole-run figures of
every metric and sub-metric, written at the end. Written with the standard ``csv`` module.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from ..errors import ResultsError
from ..results.schema import Results
from .base import IntervalSample, Output

__all__ = ["CSV_COLUMNS", "CsvOutput"]

CSV_COLUMNS = ("scope", "start_s", "end_s", "metric", "stat", "value")


class CsvOutput(Output):
    """Interval rows are appended as intervals close; the run rows always come last.

    An interrupted run is finalised twice (at once, then with the last requests): the run rows
    of the first pass are cut off and written again after any later interval rows."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._file: TextIO | None = None
        self._writer: Any = None
        #: File offset where the interval rows end (and the run rows, if any, begin).
        self._intervals_end = 0

    def _rewind_to_intervals(self) -> tuple[TextIO, Any]:
        if self._file is None:
            self._file = open(self.path, "r+", encoding="utf-8", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._file)
        self._file.seek(self._intervals_end)
        self._file.truncate()
        return self._file, self._writer

    def start(self, start_s: float) -> None:
        self._close()
        try:
            with open(self.path, "w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerow(CSV_COLUMNS)
                self._intervals_end = f.tell()
        except OSError as e:
            raise ResultsError(f"cannot write CSV results to {self.path!r}: {e}") from e

    def interval(self, sample: IntervalSample) -> None:
        p = sample.point
        rows = [
            ("interval", round(p.start_s, 6), round(p.end_s, 6), key, stat, value)
            for key, entry in p.entries.items()
            for stat, value in entry.items()
            if stat != "wire"
        ]
        try:
            f, writer = self._rewind_to_intervals()
            writer.writerows(rows)
            f.flush()
            self._intervals_end = f.tell()
        except OSError as e:
            raise ResultsError(f"cannot write CSV results to {self.path!r}: {e}") from e

    def stop(self, results: Results) -> None:
        rows = [
            ("run", 0.0, round(results.meta.duration_s, 6), key, stat, value)
            for key, entry in results.metrics.items()
            for stat, value in entry.values.items()
        ]
        try:
            f, writer = self._rewind_to_intervals()
            writer.writerows(rows)
            f.flush()
        except OSError as e:
            raise ResultsError(f"cannot write CSV results to {self.path!r}: {e}") from e
        finally:
            self._close()

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
