"""Running the demo target: CLI options, TargetConfig from them, serve until SIGINT/SIGTERM.

``add_arguments`` fills any argparse parser (the ``genesis-load target`` subcommand or
``python -m genesis_load.target``); ``run`` serves and returns the exit code (0 after a signal,
1 if it cannot start, e.g. the port is taken or the access log or the database cannot be
opened, 2 for bad options, 104 when aiohttp, the optional 'target' extra, is not installed).
Once listening it prints exactly one line to stdout::

    genesis-load target listening on http://127.0.0.1:PORT

The server only ever binds a loopback address (127.0.0.1 by default).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sqlite3
import sys

from genesis_load._extras import MissingExtraError, require
from genesis_load.errors import EXIT_CONFIG_ERROR
from genesis_load.target.config import TargetConfig
from genesis_load.target.fault_spec import FaultSpec, FaultSpecError

__all__ = ["add_arguments", "config_from_args", "run", "serve"]

_D = TargetConfig()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add every target option (defaults from TargetConfig) to ``parser``."""
    g = parser.add_argument_group("server")
    g.add_argument("--host", default=_D.host, help="loopback address to bind (default 127.0.0.1)")
    g.add_argument("--port", type=int, default=_D.port, help="TCP port; 0 = any free port")
    g.add_argument("--seed", type=int, default=_D.seed, help="dataset and fault RNG seed")
    g.add_argument(
        "--max-inflight",
        type=int,
        default=_D.max_inflight,
        help="shed new requests with 503 above this many in flight",
    )
    g.add_argument(
        "--rate-limit-per-s",
        type=float,
        default=None,
        help="per-client token-bucket rate (X-Client-Id or IP); off by default",
    )
    g.add_argument(
        "--rate-limit-burst",
        type=float,
        default=None,
        help="bucket capacity (default: one second of tokens)",
    )
    g.add_argument(
        "--max-body-bytes",
        type=int,
        default=_D.max_body_bytes,
        help="larger request bodies get 413",
    )
    g.add_argument(
        "--ws-send-buffer-bytes",
        type=int,
        default=_D.ws_send_buffer_bytes,
        help="unsent bytes a WebSocket connection may hold (a slow reader waits for room)",
    )
    g.add_argument(
        "--ws-send-timeout-s",
        type=float,
        default=_D.ws_send_timeout_s,
        help="a WebSocket send waiting longer than this drops the connection (close 1008)",
    )
    g.add_argument(
        "--access-log",
        dest="access_log_path",
        default=None,
        metavar="PATH",
        help="write 'arrival_ns method path status duration_us' per request",
    )
    d = parser.add_argument_group("data and cache")
    d.add_argument(
        "--db",
        dest="db_path",
        default=None,
        metavar="PATH",
        help="SQLite file (default: a temporary one)",
    )
    d.add_argument("--dataset-users", type=int, default=_D.dataset_users)
    d.add_argument("--dataset-workouts", type=int, default=_D.dataset_workouts)
    d.add_argument("--dataset-plans", type=int, default=_D.dataset_plans)
    d.add_argument("--cache-size", type=int, default=_D.cache_size, help="LRU entries; 0 = off")
    d.add_argument("--cache-ttl-s", type=float, default=_D.cache_ttl_s)
    a = parser.add_argument_group("AI agents")
    a.add_argument(
        "--ai-speed",
        type=float,
        default=_D.ai_speed,
        help="divides every simulated AI duration (1000 for tests)",
    )
    a.add_argument(
        "--tokens-per-s", type=float, default=_D.tokens_per_s, help="streaming pace at --ai-speed 1"
    )
    a.add_argument("--max-conversations", type=int, default=_D.max_conversations)
    a.add_argument("--max-turns", type=int, default=_D.max_turns)
    f = parser.add_argument_group("faults (also settable at runtime via POST /admin/faults)")
    f.add_argument(
        "--faults",
        dest="faults_json",
        default=None,
        metavar="JSON",
        help="a whole fault spec; the flags below override its keys",
    )
    f.add_argument("--latency-ms", type=float, default=None, help="fixed added latency")
    f.add_argument(
        "--latency",
        dest="latency_json",
        default=None,
        metavar="JSON",
        help='latency distribution, e.g. \'{"dist":"uniform","min_ms":1,"max_ms":9}\'',
    )
    f.add_argument("--error-rate", type=float, default=None, help="share answered 500")
    f.add_argument("--drop-rate", type=float, default=None, help="share of connections dropped")
    f.add_argument(
        "--malformed-rate", type=float, default=None, help="share of SSE/WS frames sent malformed"
    )
    f.add_argument("--stall-start-in-s", type=float, default=None)
    f.add_argument("--stall-duration-s", type=float, default=None)
    f.add_argument(
        "--fault-path",
        dest="fault_paths",
        action="append",
        default=None,
        metavar="PREFIX",
        help="apply faults only under this path prefix (repeatable)",
    )
    parser.add_argument("--log-level", default="WARNING", help="stderr log level")


def _fault_spec(args: argparse.Namespace) -> FaultSpec:
    raw: dict[str, object] = {}
    if args.faults_json:
        loaded = json.loads(args.faults_json)
        if not isinstance(loaded, dict):
            raise FaultSpecError({"--faults": "must be a JSON object"})
        raw.update(loaded)
    if args.latency_json:
        raw["latency"] = json.loads(args.latency_json)
    flags = {
        "latency_ms": args.latency_ms,
        "error_rate": args.error_rate,
        "drop_rate": args.drop_rate,
        "malformed_rate": args.malformed_rate,
    }
    raw.update({key: value for key, value in flags.items() if value is not None})
    if args.stall_start_in_s is not None or args.stall_duration_s is not None:
        stall: dict[str, object] = {"start_in_s": args.stall_start_in_s or 0.0}
        if args.stall_duration_s is not None:
            stall["duration_s"] = args.stall_duration_s
        raw["stall"] = stall
    if args.fault_paths:
        raw["paths"] = list(args.fault_paths)
    return FaultSpec.from_dict(raw)


def config_from_args(args: argparse.Namespace) -> TargetConfig:
    """Build a TargetConfig; raises ValueError (incl. FaultSpecError, JSON errors) if invalid."""
    return TargetConfig(
        host=args.host,
        port=args.port,
        seed=args.seed,
        db_path=args.db_path,
        dataset_users=args.dataset_users,
        dataset_workouts=args.dataset_workouts,
        dataset_plans=args.dataset_plans,
        cache_size=args.cache_size,
        cache_ttl_s=args.cache_ttl_s,
        ai_speed=args.ai_speed,
        tokens_per_s=args.tokens_per_s,
        max_conversations=args.max_conversations,
        max_turns=args.max_turns,
        max_inflight=args.max_inflight,
        rate_limit_per_s=args.rate_limit_per_s,
        rate_limit_burst=args.rate_limit_burst,
        max_body_bytes=args.max_body_bytes,
        ws_send_buffer_bytes=args.ws_send_buffer_bytes,
        ws_send_timeout_s=args.ws_send_timeout_s,
        access_log_path=args.access_log_path,
        faults=_fault_spec(args),
    )


async def serve(config: TargetConfig) -> None:
    """Listen on config.host:config.port, announce the address, serve until SIGINT/SIGTERM."""
    # aiohttp comes with the optional 'target' extra: imported here, so that the options above
    # (``genesis-load target --help``) need only the core install
    from aiohttp import web

    from genesis_load.target.app import create_app

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = web.AppRunner(
        create_app(config),
        access_log=None,
        handle_signals=False,
        shutdown_timeout=config.shutdown_timeout_s,
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, config.host, config.port, backlog=1024)
        await site.start()
        port = runner.addresses[0][1]
        shown = f"[{config.host}]" if ":" in config.host else config.host
        print(f"genesis-load target listening on http://{shown}:{port}", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()


def run(args: argparse.Namespace) -> int:
    try:
        require("target", "the demo target")
    except MissingExtraError as exc:
        print(f"genesis-load target: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    try:
        logging.basicConfig(
            level=str(args.log_level).upper(),
            stream=sys.stderr,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        config = config_from_args(args)
    except ValueError as exc:  # includes FaultSpecError and json.JSONDecodeError
        print(f"genesis-load target: error: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(config))
    except (OSError, sqlite3.Error) as exc:  # port taken, log or --db path not writable
        print(f"genesis-load target: cannot start: {exc}", file=sys.stderr)
        return 1
    return 0
