"""`kaspr-tui mock-server`: the bundled billing API on uvicorn, its state in SQLite."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import get_args

import platformdirs
import uvicorn

from kaspr_tui.server.app import create_app
from kaspr_tui.server.seed import DEMO_KEYS
from kaspr_tui.server.settings import CrashPoint, ServerSettings
from kaspr_tui.server.testing import bind_socket

PARENT_POLL_SECONDS = 0.5


def default_db_path() -> Path:
    return platformdirs.user_data_path("kaspr-tui") / "billing.db"


def _timestamp(text: str) -> datetime:
    moment = datetime.fromisoformat(text)  # Python 3.11 reads a trailing Z as UTC
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-11-27T09:00:00Z")
    return moment


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("a share between 0 and 1")
    return value


def _non_negative(kind: type[int | float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError("must not be negative")
        return value

    parse.__name__ = kind.__name__
    return parse


def parser() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(prog="kaspr-tui mock-server", description="Serve the Kaspr billing API locally.")
    options.add_argument("--host", default="127.0.0.1")
    options.add_argument("--port", type=_non_negative(int), default=8787, help="0 picks a free port")
    options.add_argument("--db", type=Path, default=None, help=f"SQLite file (default: {default_db_path()})")
    options.add_argument("--reset", action="store_true", help="start again from the demo data")
    options.add_argument("--payment-delay", type=_non_negative(float), default=1.5, metavar="SECONDS")
    options.add_argument("--latency-ms", type=_non_negative(int), default=0, metavar="N")
    options.add_argument("--fail-rate", type=_fraction, default=0.0, metavar="F",
                         help="share of requests answered 503 (0-1)")
    options.add_argument("--rate-limit", type=_non_negative(int), default=100, metavar="N",
                         help="requests a second per key")
    options.add_argument("--frozen-now", type=_timestamp, default=None, metavar="ISO8601",
                         help="start the clock here; it moves only with advance_clock")
    options.add_argument("--watch-parent", action="store_true", help="exit when the parent process exits")
    # Tests only, so not in --help: the process kills itself at this point of a keyed write.
    options.add_argument("--crash-at", choices=get_args(CrashPoint), default=None, help=argparse.SUPPRESS)
    return options


def _watch_parent(server: uvicorn.Server) -> None:
    """Stop when the process that started us is gone (we were re-parented)."""
    parent = os.getppid()
    stopped = threading.Event()
    while not stopped.wait(PARENT_POLL_SECONDS):
        if os.getppid() != parent:
            server.should_exit = True
            return


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = ServerSettings(
        db_path=args.db or default_db_path(),
        payment_delay=args.payment_delay,
        latency_ms=args.latency_ms,
        fail_rate=args.fail_rate,
        rate_limit=max(1, args.rate_limit),
        frozen_now=args.frozen_now,
        reset=args.reset,
        crash_at=args.crash_at,
    )
    app = create_app(settings)
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    server = uvicorn.Server(uvicorn.Config(app, log_level="info", lifespan="on"))
    if args.watch_parent:
        threading.Thread(target=_watch_parent, args=(server,), daemon=True, name="watch-parent").start()
    host, port = sock.getsockname()[:2]
    print(f"Kaspr billing API listening on http://{host}:{port}", flush=True)
    print(f"Database: {settings.db_path}")
    print("Demo API keys:")
    for key, who in DEMO_KEYS.items():
        print(f"  {key:<18} {who}")
    sys.stdout.flush()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn shut down cleanly, then re-raised Ctrl-C: no traceback for that
    return 0
