"""HdrHistogram interval log (``.hlog``) of ``http_req_duration``, one line per interval.

Written with the ``hdrhistogram`` package's ``HistogramLogWriter``, so HistogramLogAnalyzer and
the other HDR tools read it. Values are microseconds; the per-line max column is in
milliseconds (``max_value_unit_ratio=1000``).
"""

from __future__ import annotations

import time
from typing import TextIO

from hdrh.log import HistogramLogWriter

from ..metrics.selector import Selector
from ..metrics.sinks import TrendSink
from ..metrics.store import Store

__all__ = ["HlogOutput"]


class HlogOutput:
    """Collector interval listener that appends each interval's histogram to a log file."""

    def __init__(self, path: str, start_s: float) -> None:
        self._file: TextIO = open(path, "w", encoding="ascii")  # noqa: SIM115 - closed in close()
        self._writer = HistogramLogWriter(self._file)
        self._start_s = start_s
        self._writer.output_comment("[Logged with genesis-load: http_req_duration in microseconds]")
        self._writer.output_log_format_version()
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start_s))
        self._file.write(f"#[StartTime: {start_s:.3f} (seconds since epoch), {started}]\n")
        self._writer.output_legend()

    def __call__(self, interval: Store, start_s: float, end_s: float) -> None:
        sink = interval.query(Selector("http_req_duration"))
        if not isinstance(sink, TrendSink) or sink.hist.get_total_count() == 0:
            return
        self._writer.output_interval_histogram(
            sink.hist,
            start_time_stamp_sec=max(start_s - self._start_s, 1e-6),
            end_time_stamp_sec=end_s - self._start_s,
            max_value_unit_ratio=1000.0,
        )
        self._file.flush()

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
