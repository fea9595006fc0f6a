"""Baseline: the GENESIS REST mix on the seed's baseline schedule (open model, seed thresholds).

    locust -f locustfiles/baseline.py --host http://127.0.0.1:8765
    GENESIS_TIME_FACTOR=0.1 locust -f locustfiles/baseline.py --headless --host ... \
        --summary-json baseline.json
"""

from genesis_load.scenarios.baseline import Baseline, BaselineShape

__all__ = ["Baseline", "BaselineShape"]
