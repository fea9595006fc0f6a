"""``python -m genesis_load.target [options]``: run the demo target (see ``server``)."""

from __future__ import annotations

import argparse

from genesis_load.target.server import add_arguments, run


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m genesis_load.target",
        description="GENESIS demo target: REST, AI agents, SSE, WebSocket, faults, /metrics.",
    )
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
