"""HdrHistogram interval log (``--out hlog=PATH``, alias ``--hdr-log``) of ``http_req_duration``.

One line per interval, written with the ``hdrhistogram`` package's ``HistogramLogWriter``, so
HistogramLogAnalyzer and the other HDR tools read it. Values are microseconds; the per-line max
column is in milliseconds (``max_value_unit_ratio=1000``).
"""

from __future__ import annotations

import time
from typing import IO, Any

from hdrh.log import HistogramLogWriter

from ..errors import ResultsError
from ..metrics.selector import Selector
from ..metrics.sinks import TrendSink
from ..results.schema import Results
from .base import IntervalSample, Output

__all__ = ["HlogOutput"]


class HlogOutput(Output):
    """Appends each interval's ``http_req_duration`` histogram to a log file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._file: IO[Any] | None = None
        self._writer: HistogramLogWriter | None = None
        self._start_s = 0.0

    def _open(self, mode: str) -> HistogramLogWriter:
        try:
            self._file = open(self.path, mode, encoding="ascii")  # noqa: SIM115 - closed in stop()
        except OSError as e:
            raise ResultsError(f"cannot write the HDR log {self.path!r}: {e}") from e
        self._writer = HistogramLogWriter(self._file)
        return self._writer

    def start(self, start_s: float) -> None:
        self._start_s = start_s
        writer = self._open("w")
        writer.output_comment("[Logged with genesis-load: http_req_duration in microseconds]")
        writer.output_log_format_version()
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start_s))
        assert self._file is not None
        self._file.write(f"#[StartTime: {start_s:.3f} (seconds since epoch), {started}]\n")
        writer.output_legend()

    def interval(self, sample: IntervalSample) -> None:
        sink = sample.store.query(Selector("http_req_duration"))
        if not isinstance(sink, TrendSink) or sink.hist.get_total_count() == 0:
            return
        writer = self._writer if self._file is not None else self._open("a")
        assert writer is not None and self._file is not None
        writer.output_interval_histogram(
            sink.hist,
            start_time_stamp_sec=max(sample.start_s - self._start_s, 1e-6),
            end_time_stamp_sec=sample.end_s - self._start_s,
            max_value_unit_ratio=1000.0,
        )
        self._file.flush()

    def stop(self, results: Results) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
