"""Test locustfile: several scenarios at once from SCENARIOS_JSON ({name: k6 options}).

Each scenario's iteration requests SCENARIO_PATHS_JSON[name] (default /health), so the server
can count every scenario on its own route.
"""

import json
import os

from locust import FastHttpUser

from genesis_load.executors import ScenarioShape, ScenarioUser, scenarios_from_config

_paths = json.loads(os.environ.get("SCENARIO_PATHS_JSON", "{}"))
_classes = []
for _sc in scenarios_from_config(json.loads(os.environ["SCENARIOS_JSON"]), "SCENARIOS_JSON"):
    _path = _paths.get(_sc.name, "/health")

    def _iteration(self: FastHttpUser, _path: str = _path) -> None:
        self.client.get(_path, name=_path)

    _cls = type(
        f"S_{_sc.name}",
        (ScenarioUser, FastHttpUser),
        {"scenario": _sc, "iteration": _iteration, "__module__": __name__},
    )
    globals()[_cls.__name__] = _cls
    _classes.append(_cls)
del _cls  # Locust collects every User class in the module namespace, aliases included


class Shape(ScenarioShape):
    user_classes = tuple(_classes)
