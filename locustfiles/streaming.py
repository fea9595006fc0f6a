"""Streaming: the suite scenario ``SUITE["streaming"]`` (genesis_load.suite.registry).

SSE feed subscribers (streams started per second) and WebSocket sessions (messages per second
over sockets held open) at once, with the streaming thresholds (docs/streaming.md).

    locust -f locustfiles/streaming.py --host http://127.0.0.1:8765      # web UI
    locust -f locustfiles/streaming.py --headless --host ... --profile ci --out json=r.json

The same classes as the packaged ``genesis_load/scenarios/streaming.py``.
"""

from genesis_load.scenarios.streaming import Streaming, StreamingShape, StreamingWs

__all__ = ["Streaming", "StreamingShape", "StreamingWs"]
