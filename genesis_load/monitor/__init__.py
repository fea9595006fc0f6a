"""Resource monitoring: the target's memory, CPU and connections, and the generator's own CPU.

A :class:`ResourceMonitor` samples named :class:`Source` objects on a fixed grid (default every
second) until stopped, and summarises each with a :class:`ResourceSeries` into the ``resources``
object of a results file, which the readiness report renders as average/peak rows:

* :class:`PrometheusSource` reads a target's ``/metrics`` (the standard ``process_*`` metrics);
* :class:`PidSource` reads a local process with psutil, connections included;
* :class:`SelfSource` reads the load generator itself, whose CPU ``warnings()`` judges.

Nothing here imports Locust or gevent; the plugin passes ``gevent.sleep`` and runs ``run()`` in
a greenlet. ``results()`` gives, per source name::

    {"source": "http://127.0.0.1:8080/metrics", "interval_s": 1.0,
     "failed_samples": 0, "last_error": null, "counter_resets": 0, "samples_per_point": 1,
     "summary": {"rss_mb": {"avg": 41.3, "peak": 44.0}, "cpu_percent": {...},
                 "open_fds": {...}, "connections": {...}},     # only fields that had data
     "samples": [{"t_s": 0.0, "rss_mb": 41.2, "cpu_percent": null, "open_fds": 12.0}, ...],
     "trend": {"rss_mb_per_min": 0.12}}

Design note: ``docs/design/0007-resource-monitor.md``.
"""

from .monitor import LOADGEN_CPU_LIMIT_PERCENT, ResourceMonitor, next_tick
from .pid import PidSource, SelfSource
from .prometheus import PrometheusSource, parse_process_metrics
from .sample import ProcessSample, Reading, Source
from .series import FIELDS, FieldStats, ResourceSeries

__all__ = [
    "FIELDS",
    "LOADGEN_CPU_LIMIT_PERCENT",
    "FieldStats",
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
