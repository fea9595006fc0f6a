"""Baseline scenario: the GENESIS REST mix at a steady rate (``locust -f`` this file)."""

from genesis_load.users import GenesisApiUser

__all__ = ["GenesisApiUser"]
