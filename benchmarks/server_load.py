"""Server load: how the bundled billing server holds up under concurrent clients, against a bare baseline.

    python benchmarks/server_load.py [--seconds 3] [--clients 32] [--max-requests 20000]

Two servers run, each in its own child process so the load generator never shares a GIL with them,
under the same uvicorn settings on 127.0.0.1: a bare FastAPI app with one trivial JSON endpoint (the
baseline), and the bundled server on a fresh temporary database (payment delay 0, rate limit out of the
way). Concurrent httpx clients drive each scenario for a bounded time and a bounded number of requests;
the benchmark prints requests/s and p50/p99 latency per scenario, then p99 ratios against the baseline.
It reports and always exits 0 once it has measured: tests assert, benchmarks report.

Scenarios: the bare endpoint; `GET /v1/subscription`; and quote + checkout pairs (`POST /v1/quotes`,
then `POST /v1/checkouts` with a fresh Idempotency-Key). The clients are spread over the two admin
keys the server seeds (Acme and Globex), so half of them share each workspace. Sharing is the point:
a checkout that succeeds makes every other quote of its workspace stale, so `quote_stale` (and
`checkout_in_progress`) answers are expected conflicts, counted apart from errors; latency is over
pairs that were paid. Each pair buys an add-on credit pack, rotating type and size, because that
always changes something: seat counts cannot alternate on this server (a seat reduction waits for
the period end, so after +1 and −1 the next +1 "changes nothing"), and seats that only grow reach
the plan's maximum (Globex's starter plan: 50) within seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import queue
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

if __package__ in (None, ""):  # run as a file: make the `benchmarks` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import uvicorn
from fastapi import FastAPI

from benchmarks._stats import Summary, format_ratio, ratio, summarize, summary_table
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, GLOBEX_KEY, LiveServer, bind_socket

LOOPBACK = "127.0.0.1"
P99_TARGET = 3.0
"""p99 of `GET /v1/subscription` may be at most this many times the bare endpoint's."""
SERVER_START_TIMEOUT = 30.0
SERVER_LIFETIME_MARGIN = 120.0
"""A server child exits by itself this long after its scenarios should have ended, even if this process
died without stopping it."""
REQUEST_TIMEOUT = 10.0
RATE_LIMIT = 1_000_000
"""Requests a second per key: far above what the clients can send, so no 429 skews the numbers."""
UVICORN_SETTINGS = {"log_level": "warning", "access_log": False, "lifespan": "on"}
"""What `LiveServer` runs the bundled server under; the baseline runs under the same, to be fair."""

BARE_PATH = "/ping"
ADMIN_KEYS = (ADMIN_KEY, GLOBEX_KEY)
"""The seeded admins of Acme Corp and Globex: client `i` uses key `i % 2`."""
CREDIT_PACKS = (
    {"type": "phone", "quantity": 25},
    {"type": "direct_email", "quantity": 50},
    {"type": "export", "quantity": 100},
)
EXPECTED_CONFLICTS = frozenset({"quote_stale", "checkout_in_progress"})

ServerKind = Literal["bare", "kaspr"]


# ---- the servers (child processes) ----------------------------------------------------------


def create_bare_app() -> FastAPI:
    """The baseline: FastAPI answering one trivial JSON GET, with nothing behind it."""
    app = FastAPI()

    @app.get(BARE_PATH)
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    return app


def serve(kind: ServerKind, db_path: Path | None, lifetime: float) -> None:
    """Run one server on a free loopback port, print its URL, and stop when stdin closes or after
    `lifetime` seconds, whichever comes first."""
    if kind == "kaspr":
        if db_path is None:
            raise ValueError("the kaspr server needs a database path")
        settings = ServerSettings(db_path=db_path, payment_delay=0, rate_limit=RATE_LIMIT)
        with LiveServer(settings, host=LOOPBACK) as live:
            print(live.url, flush=True)
            _wait_for_parent(lifetime)
        return

    listener = bind_socket(LOOPBACK, 0)
    server = uvicorn.Server(uvicorn.Config(create_bare_app(), **UVICORN_SETTINGS))
    print(f"http://{LOOPBACK}:{listener.getsockname()[1]}", flush=True)

    def stop_after_parent() -> None:
        _wait_for_parent(lifetime)
        server.should_exit = True

    threading.Thread(target=stop_after_parent, daemon=True).start()
    server.run(sockets=[listener])


def _wait_for_parent(lifetime: float) -> None:
    """Block until the parent closes our stdin (or dies), at most `lifetime` seconds."""
    stdin_closed = threading.Thread(target=sys.stdin.read, daemon=True)
    stdin_closed.start()
    stdin_closed.join(lifetime)


class ServerProcess:
    """A server child of this process: started on `__enter__`, stopped (for sure) on `__exit__`."""

    def __init__(
        self, kind: ServerKind, probe_path: str, lifetime: float, db_path: Path | None = None
    ) -> None:
        self.kind = kind
        self.probe_path = probe_path
        self.lifetime = lifetime
        self.db_path = db_path
        self.url = ""
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> ServerProcess:
        command = [sys.executable, str(Path(__file__).resolve()), "--serve", self.kind]
        command += ["--lifetime", str(self.lifetime)]
        if self.db_path is not None:
            command += ["--db", str(self.db_path)]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.url = self._read_url()
            self._wait_until_answering()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin:
            process.stdin.close()  # the child's cue to shut down
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _read_url(self) -> str:
        assert self._process is not None and self._process.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(self._process.stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=SERVER_START_TIMEOUT).strip()
        except queue.Empty:
            line = ""
        if not line.startswith("http://"):
            raise RuntimeError(f"the {self.kind} server did not start (exit code {self._process.poll()})")
        return line

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        with httpx.Client(base_url=self.url, trust_env=False, timeout=2) as client:
            while True:
                try:
                    client.get(self.probe_path)
                    return
                except httpx.TransportError:
                    if time.monotonic() > deadline or self._process.poll() is not None:
                        raise RuntimeError(f"the {self.kind} server does not answer on {self.url}") from None
                    time.sleep(0.05)


# ---- the load -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one operation (one request, or a dependent sequence of them) ended."""

    kind: Literal["ok", "conflict", "error"]
    requests: int
    detail: str = ""
    """The error code or status, for conflicts and errors."""


Operation = Callable[[httpx.AsyncClient, int], Awaitable[Outcome]]
"""One unit of work for client number `i`; the runner times it."""


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    requests: int = 0
    conflicts: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome, seconds: float) -> None:
        self.requests += outcome.requests
        if outcome.kind == "ok":
            self.latencies.append(seconds)
        elif outcome.kind == "conflict":
            self.conflicts[outcome.detail] += 1
        else:
            self.errors[outcome.detail] += 1


async def run_scenario(
    name: str,
    base_url: str,
    operation: Operation,
    *,
    clients: int,
    seconds: float,
    max_requests: int,
    headers: Callable[[int], dict[str, str]] = lambda _: {},
) -> tuple[Summary, Tally]:
    """`clients` concurrent clients repeat `operation` for `seconds`, or until `max_requests` requests
    were sent, whichever comes first. Each client first runs it once untimed, to open its connection."""
    tally = Tally()
    one_connection = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with contextlib.AsyncExitStack() as stack:
        sessions = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=base_url,
                    headers=headers(i),
                    limits=one_connection,
                    timeout=REQUEST_TIMEOUT,
                    trust_env=False,
                )
            )
            for i in range(clients)
        ]
        await asyncio.gather(*(operation(session, i) for i, session in enumerate(sessions)))
        started = time.perf_counter()
        deadline = started + seconds

        async def client_loop(session: httpx.AsyncClient, index: int) -> None:
            while time.perf_counter() < deadline and tally.requests < max_requests:
                begun = time.perf_counter()
                try:
                    outcome = await operation(session, index)
                except httpx.HTTPError as exc:  # a timeout or a dropped connection is an error, not a crash
                    outcome = Outcome("error", 1, type(exc).__name__)
                tally.add(outcome, time.perf_counter() - begun)

        loops = asyncio.gather(*(client_loop(session, i) for i, session in enumerate(sessions)))
        await asyncio.wait_for(loops, seconds + REQUEST_TIMEOUT * 3)
        elapsed = time.perf_counter() - started
    summary = summarize(
        name,
        tally.latencies,
        requests=tally.requests,
        seconds=elapsed,
        expected_conflicts=sum(tally.conflicts.values()),
        errors=sum(tally.errors.values()),
    )
    return summary, tally


def error_code(response: httpx.Response) -> str:
    """The API's `error.code`, or the bare status when the body is not an API error."""
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return f"http_{response.status_code}"


async def get_ok(client: httpx.AsyncClient, path: str) -> Outcome:
    response = await client.get(path)
    if response.status_code == 200:
        return Outcome("ok", 1)
    return Outcome("error", 1, error_code(response))


def admin_key(index: int) -> str:
    return ADMIN_KEYS[index % len(ADMIN_KEYS)]


def admin_headers(index: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {admin_key(index)}"}


class QuoteAndCheckout:
    """Quote a credit pack, then pay the quote with the workspace's default card."""

    def __init__(self, card_ids: dict[str, str]) -> None:
        self.card_ids = card_ids
        """The default card's id by admin key."""
        self.pairs_started: Counter[int] = Counter()

    async def __call__(self, client: httpx.AsyncClient, index: int) -> Outcome:
        pack = CREDIT_PACKS[self.pairs_started[index] % len(CREDIT_PACKS)]
        self.pairs_started[index] += 1
        quote = await client.post("/v1/quotes", json={"addons": [pack]})
        if quote.status_code != 200:
            return Outcome("error", 1, f"quote {error_code(quote)}")
        body = {"quote_id": quote.json()["id"], "payment_method_id": self.card_ids[admin_key(index)]}
        fresh_key = {"Idempotency-Key": uuid.uuid4().hex}
        checkout = await client.post("/v1/checkouts", json=body, headers=fresh_key)
        if checkout.status_code == 202:
            status = checkout.json()["status"]
            # With no payment delay a good card settles within the request.
            return Outcome("ok", 2) if status == "succeeded" else Outcome("error", 2, f"checkout {status}")
        code = error_code(checkout)
        return Outcome("conflict" if code in EXPECTED_CONFLICTS else "error", 2, code)


async def default_cards(base_url: str) -> dict[str, str]:
    """Each admin key's default card, the one its checkouts pay with."""
    cards = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT, trust_env=False) as client:
        for key in ADMIN_KEYS:
            response = await client.get("/v1/payment_methods", headers={"Authorization": f"Bearer {key}"})
            response.raise_for_status()
            cards[key] = next(card["id"] for card in response.json()["data"] if card["is_default"])
    return cards


# ---- the benchmark --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per scenario (default 3)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument(
        "--max-requests", type=int, default=20_000, help="hard cap on requests per scenario (default 20000)"
    )
    parser.add_argument("--serve", choices=("bare", "kaspr"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--lifetime", type=float, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def measure(args: argparse.Namespace) -> int:
    limits = {"clients": args.clients, "seconds": args.seconds, "max_requests": args.max_requests}
    lifetime = SERVER_LIFETIME_MARGIN + 2 * args.seconds
    print(f"{args.clients} clients, {args.seconds:g} s per scenario, at most {args.max_requests} requests each")
    with ServerProcess("bare", BARE_PATH, lifetime) as bare_server:
        bare_run = await run_scenario(
            f"bare GET {BARE_PATH}", bare_server.url, lambda client, _: get_ok(client, BARE_PATH), **limits
        )
    with tempfile.TemporaryDirectory(prefix="kaspr-load-") as tmp, ServerProcess(
        "kaspr", "/healthz", lifetime, Path(tmp) / "billing.db"
    ) as kaspr_server:
        subscription_run = await run_scenario(
            "GET /v1/subscription",
            kaspr_server.url,
            lambda client, _: get_ok(client, "/v1/subscription"),
            headers=admin_headers,
            **limits,
        )
        pairs_run = await run_scenario(
            "quote + checkout pairs",
            kaspr_server.url,
            QuoteAndCheckout(await default_cards(kaspr_server.url)),
            headers=admin_headers,
            **limits,
        )
    results = (bare_run, subscription_run, pairs_run)
    bare, subscription, pairs = (summary for summary, _ in results)
    print()
    print(summary_table([bare, subscription, pairs]))
    print()
    print(format_ratio("p99(subscription) / p99(bare)", ratio(subscription.p99, bare.p99), P99_TARGET))
    print(format_ratio("p99(quote + checkout) / p99(bare)", ratio(pairs.p99, bare.p99)) + "  (information)")
    for summary, tally in results:
        for label, counts in (("expected conflicts", tally.conflicts), ("errors", tally.errors)):
            if counts:
                listed = ", ".join(f"{code} {count}" for code, count in counts.most_common())
                print(f"{summary.name}, {label}: {listed}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        serve(args.serve, args.db, args.lifetime)
        return 0
    return asyncio.run(measure(args))


if __name__ == "__main__":
    sys.exit(main())
