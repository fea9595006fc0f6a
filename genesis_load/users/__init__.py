"""Locust user classes for the GENESIS system (importing this imports Locust)."""

from .api import GenesisApiUser

__all__ = ["GenesisApiUser"]
