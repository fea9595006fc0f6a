"""Spike: the GENESIS REST mix on the seed's spike schedule (open model, seed thresholds).

    locust -f locustfiles/spike.py --host http://127.0.0.1:8765
    GENESIS_TIME_FACTOR=0.1 locust -f locustfiles/spike.py --headless --host ... \
        --summary-json spike.json
"""

from genesis_load.scenarios.spike import Spike, SpikeShape

__all__ = ["Spike", "SpikeShape"]
