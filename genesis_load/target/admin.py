"""Runtime fault control: ``GET | POST | DELETE /admin/faults``, loopback peers only.

``POST`` replaces the whole active spec (grammar in ``fault_spec``) and re-seeds the fault RNG;
``DELETE`` clears it; all three answer ``{"faults": <active spec>, "stall_window_s": ...}``
where ``stall_window_s`` is ``{"opens_in_s", "closes_in_s"}`` relative to now, or null.
A bad spec is a 400 whose ``problems`` name every bad key; the active spec is then unchanged.
Admin requests never get faults injected and do not count toward the in-flight limit.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web

from genesis_load.target.fault_spec import FaultSpec, FaultSpecError
from genesis_load.target.params import read_json
from genesis_load.target.responses import json_error, json_response
from genesis_load.target.state import STATE, TargetState

__all__ = ["add_admin_routes", "is_loopback"]


def is_loopback(remote: str | None) -> bool:
    try:
        return remote is not None and ipaddress.ip_address(remote).is_loopback
    except ValueError:
        return False


def _current(state: TargetState) -> web.Response:
    window = state.faults.stall_remaining_s()
    return json_response(
        {
            "faults": state.faults.spec.to_dict(),
            "stall_window_s": (
                {"opens_in_s": round(window[0], 3), "closes_in_s": round(window[1], 3)}
                if window is not None
                else None
            ),
        }
    )


async def faults(request: web.Request) -> web.Response:
    if not is_loopback(request.remote):
        return json_error(403, "admin endpoints accept loopback peers only")
    state = request.app[STATE]
    if request.method == "POST":
        body, error = await read_json(request)
        if error is not None:
            return error
        try:
            spec = FaultSpec.from_dict(body)
        except FaultSpecError as exc:
            return json_error(400, "invalid fault spec", problems=exc.problems)
        state.faults.set(spec)
    elif request.method == "DELETE":
        state.faults.set(FaultSpec())
    return _current(state)


def add_admin_routes(router: web.UrlDispatcher) -> None:
    for method in ("GET", "POST", "DELETE"):
        router.add_route(method, "/admin/faults", faults)
