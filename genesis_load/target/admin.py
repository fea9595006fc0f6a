"""Runtime fault control: ``GET | POST | DELETE /admin/faults``, from this machine only.

Who may call it (checked in this order, before anything is read)::

    peer address not loopback                      -> 403
    Host header not a loopback name or address     -> 403   (DNS rebinding: evil.example:8765)
    Origin header present and not a loopback origin -> 403  (any web page's fetch/form POST)
    POST whose Content-Type is not application/json -> 415  (a "simple" cross-site request)

Loopback names and addresses: ``localhost``, 127.0.0.0/8 and ``[::1]``, with any port. A
browser always sends ``Host`` and, on a cross-origin POST, ``Origin``; tools such as curl send
``Host: 127.0.0.1:PORT`` and no ``Origin``, so they pass. ``Origin: null`` (a sandboxed page, a
file) is refused.

``POST`` replaces the whole active spec (grammar in ``fault_spec``) and re-seeds the fault RNG;
``DELETE`` clears it; all three answer ``{"faults": <active spec>, "stall_window_s": ...}``
where ``stall_window_s`` is ``{"opens_in_s", "closes_in_s"}`` relative to now, or null.
A bad spec is a 400 whose ``problems`` name every bad key; the active spec is then unchanged.
Admin requests never get faults injected and do not count toward the in-flight limit.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web
from yarl import URL

from genesis_load.target.fault_spec import FaultSpec, FaultSpecError
from genesis_load.target.params import read_json
from genesis_load.target.responses import json_error, json_response
from genesis_load.target.state import STATE, TargetState

__all__ = ["add_admin_routes", "is_loopback", "is_loopback_authority", "is_loopback_origin"]


def is_loopback(remote: str | None) -> bool:
    try:
        return remote is not None and ipaddress.ip_address(remote).is_loopback
    except ValueError:
        return False


def _is_loopback_name(host: str) -> bool:
    return host.lower() == "localhost" or is_loopback(host)


def is_loopback_authority(authority: str) -> bool:
    """True for a Host header naming this machine: ``localhost``, 127.x.y.z, ``[::1]``; any port.

    >>> [is_loopback_authority(h) for h in ("127.0.0.1:80", "[::1]", "evil.example:8765")]
    [True, True, False]
    """
    if authority.startswith("["):
        host, bracket, rest = authority[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return False
        return is_loopback(host)
    host, colon, port = authority.partition(":")
    if colon and not port.isdigit():
        return False
    return _is_loopback_name(host)


def is_loopback_origin(origin: str) -> bool:
    """True for an ``Origin`` of a page served from this machine (http or https, any port)."""
    try:
        url = URL(origin)
        host = url.host
    except ValueError:
        return False
    return url.scheme in ("http", "https") and host is not None and _is_loopback_name(host)


def _refusal(request: web.Request) -> web.Response | None:
    """The 403 or 415 answer for a request the admin API must not obey, else None."""
    if not is_loopback(request.remote):
        return json_error(403, "admin endpoints accept loopback peers only")
    host = request.headers.get("Host")
    if host is not None and not is_loopback_authority(host):
        return json_error(
            403, "admin endpoints accept a loopback Host only", problems={"Host": host[:100]}
        )
    origin = request.headers.get("Origin")
    if origin is not None and not is_loopback_origin(origin):
        return json_error(
            403, "admin endpoints refuse foreign origins", problems={"Origin": origin[:100]}
        )
    if request.method == "POST" and request.content_type != "application/json":
        return json_error(
            415,
            "admin POST bodies must be application/json",
            problems={"Content-Type": request.content_type},
        )
    return None


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
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
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
