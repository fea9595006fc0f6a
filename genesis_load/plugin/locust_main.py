"""``genesis-load locust ARGS``: Locust itself, with genesis-load loaded before it starts.

Locust prints ``--help`` before it imports the locustfile, so options added from a locustfile
never show there; loading genesis-load first makes them show, and records every request of a
locustfile that does not import genesis_load at all.
"""

from __future__ import annotations

import sys


def main() -> None:
    import locust  # noqa: F401  (gevent monkey-patching happens here, first)
    from locust.main import main as locust_main

    from . import install

    install()
    sys.argv = ["locust", *sys.argv[1:]]
    locust_main()


if __name__ == "__main__":
    main()
