"""Stress: the suite scenario ``SUITE["stress"]`` (genesis_load.suite.registry).

    locust -f locustfiles/stress.py --host http://127.0.0.1:8765      # web UI
    locust -f locustfiles/stress.py --headless --host ... --profile ci --summary-json r.json
    GENESIS_TIME_FACTOR=0.1 locust -f locustfiles/stress.py --headless --host ...

The same classes as the packaged ``genesis_load/scenarios/stress.py``; a profile or the
GENESIS_*_FACTOR variables (not both) scale the schedule once, when the run starts.
"""

from genesis_load.scenarios.stress import Stress, StressShape

__all__ = ["Stress", "StressShape"]
