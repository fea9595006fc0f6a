"""Baseline: the GENESIS REST mix at a steady rate.

    locust -f locustfiles/baseline.py --host http://127.0.0.1:8080
    locust -f locustfiles/baseline.py --headless -u 20 -r 20 -t 1m --summary-json out.json
"""

from genesis_load.users import GenesisApiUser

__all__ = ["GenesisApiUser"]
