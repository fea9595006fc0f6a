"""Benchmarks: the suite scenario ``SUITE["benchmarks"]`` (genesis_load.suite.registry).

    locust -f locustfiles/benchmarks.py --host http://127.0.0.1:8765      # web UI
    locust -f locustfiles/benchmarks.py --headless --host ... --profile ci --summary-json r.json
    GENESIS_TIME_FACTOR=0.1 locust -f locustfiles/benchmarks.py --headless --host ...

The same classes as the packaged ``genesis_load/scenarios/benchmarks.py``; a profile or the
GENESIS_*_FACTOR variables (not both) scale the schedule once, when the run starts.
"""

from genesis_load.scenarios.benchmarks import Benchmarks, BenchmarksShape

__all__ = ["Benchmarks", "BenchmarksShape"]
