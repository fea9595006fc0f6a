"""No hidden retries: a request the target never answered is a failure, not a silent resend.

geventhttpclient (under Locust's ``FastHttpUser``) resends an idempotent request whose
connection closed after the request was sent, whatever ``max_retries`` says, up to the pool size
plus one time. The resend is invisible to Locust's events: with 20% of connections dropped by the
demo target, a run recorded 600 requests and 0% failed while the target saw 721 and dropped
121, and each hidden retry's time was inside ``http_req_duration``. k6 (Go's transport) does not
resend a request it has written. genesis-load turns geventhttpclient's "may retry after send
error" rule off for the process, so each such request fails with ``error:reset`` and the
recorded count equals what the target saw. Retrying a request the target never received (a
connection that could not be used at all) is unchanged.

Applied by :func:`genesis_load.plugin.attach` (idempotent, process-wide, like the client it
patches).
"""

from __future__ import annotations

import logging

__all__ = ["disable_hidden_retries"]

log = logging.getLogger("genesis_load")


def _never(method: str) -> bool:
    return False


def disable_hidden_retries() -> None:
    try:
        from geventhttpclient import client
    except ImportError:  # no FastHttpUser in this environment: nothing to patch
        return
    rule = getattr(client, "_may_retry_after_send_error", None)
    if rule is None:
        log.warning(
            "genesis-load: this geventhttpclient has no _may_retry_after_send_error; "
            "FastHttpUser may resend requests whose connection closed"
        )
        return
    client._may_retry_after_send_error = _never
