"""Soak: the GENESIS REST mix on the seed's soak schedule (open model, seed thresholds).

    locust -f locustfiles/soak.py --host http://127.0.0.1:8765
    GENESIS_TIME_FACTOR=0.1 locust -f locustfiles/soak.py --headless --host ... \
        --summary-json soak.json
"""

from genesis_load.scenarios.soak import Soak, SoakShape

__all__ = ["Soak", "SoakShape"]
