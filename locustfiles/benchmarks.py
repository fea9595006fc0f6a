"""Benchmarks: the GENESIS REST mix on the seed's benchmarks schedule (open model, seed thresholds).

    locust -f locustfiles/benchmarks.py --host http://127.0.0.1:8765
    GENESIS_TIME_FACTOR=0.1 locust -f locustfiles/benchmarks.py --headless --host ... \
        --summary-json benchmarks.json
"""

from genesis_load.scenarios.benchmarks import Benchmarks, BenchmarksShape

__all__ = ["Benchmarks", "BenchmarksShape"]
