"""Master and workers: each worker ships its interval data; the master merges it exactly.

Owns the wire between processes of one distributed run: a worker drains its collector into
Locust's ``report_to_master`` payload (encoded HDR histograms and counters, not rounded
statistics) and the master merges each ``worker_report`` into its own collector. The master
judges thresholds and writes the outputs; workers only record and ship.
"""

from __future__ import annotations

from typing import Any

from locust.env import Environment

from ..metrics.collector import Collector

__all__ = ["WIRE_KEY", "WireLink"]

WIRE_KEY = "genesis_load"


class WireLink:
    """``report_to_master`` / ``worker_report`` listeners of one environment."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    def attach(self, environment: Environment) -> None:
        environment.events.report_to_master.add_listener(self.on_report_to_master)
        environment.events.worker_report.add_listener(self.on_worker_report)

    def detach(self, environment: Environment) -> None:
        environment.events.report_to_master.remove_listener(self.on_report_to_master)
        environment.events.worker_report.remove_listener(self.on_worker_report)

    def on_report_to_master(self, client_id: str, data: dict[str, Any], **_: Any) -> None:
        data[WIRE_KEY] = self.collector.drain_wire()

    def on_worker_report(self, client_id: str, data: dict[str, Any], **_: Any) -> None:
        wire = data.get(WIRE_KEY)
        if wire:
            self.collector.merge_wire(wire)
