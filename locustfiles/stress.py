"""Stress: the GENESIS REST mix on the seed's stress schedule (open model, seed thresholds).

    locust -f locustfiles/stress.py --host http://127.0.0.1:8765
    GENESIS_TIME_FACTOR=0.1 locust -f locustfiles/stress.py --headless --host ... \
        --summary-json stress.json
"""

from genesis_load.scenarios.stress import Stress, StressShape

__all__ = ["Stress", "StressShape"]
