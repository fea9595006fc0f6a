"""Measurement: metric types, HDR-backed sinks, tagged stores, interval series.

Pure Python over ``hdrhistogram``; nothing here imports Locust or gevent.
"""

from .collector import Collector
from .metric import BUILTIN_METRICS, Counter, Gauge, Metric, Rate, Trend, samples
from .selector import Selector, parse_selector
from .series import IntervalPoint, Series
from .sinks import CounterSink, GaugeSink, RateSink, Sink, TrendSink
from .stats import DEFAULT_TREND_STATS, parse_trend_stats, sink_values, trend_values
from .store import RequestBucket, Store

__all__ = [
    "BUILTIN_METRICS",
    "DEFAULT_TREND_STATS",
    "Collector",
    "Counter",
    "CounterSink",
    "Gauge",
    "GaugeSink",
    "IntervalPoint",
    "Metric",
    "Rate",
    "RateSink",
    "RequestBucket",
    "Selector",
    "Series",
    "Sink",
    "Store",
    "Trend",
    "TrendSink",
    "parse_selector",
    "parse_trend_stats",
    "samples",
    "sink_values",
    "trend_values",
]
