"""A non-chunked SSE server: the standard library's ``http.server`` speaking HTTP/1.0.

The body has no Content-Length and no chunked encoding; it ends when the server closes the
connection. Each event is 10 bytes (``data:007\\n\\n``), so
a client that reads in fixed blocks, or to the end of the body, would time it late.

Run as ``python tests/streaming/plain_sse_server.py``; prints ``listening <port>``.
``GET /tiny?count=N&interval_ms=M``: N events due at ``start + (i - 1) * M``, then close.
"""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def _event(seq: int) -> bytes:
    """``data:NNN\\n\\n``: exactly 10 bytes (seq < 1000, zero-padded)."""
    return b"data:%03d\n\n" % seq


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # no chunking: the body ends when the connection closes

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        count = int(query.get("count", ["20"])[0])
        interval_s = int(query.get("interval_ms", ["50"])[0]) / 1000
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.flush()
        start = time.perf_counter()
        for seq in range(1, count + 1):
            time.sleep(max(0.0, start + (seq - 1) * interval_s - time.perf_counter()))
            self.wfile.write(_event(seq))
            self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
