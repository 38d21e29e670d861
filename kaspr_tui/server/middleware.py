"""What wraps every request, outermost first: a request id and the last-resort error answer,
injected faults, the per-key rate limit, and idempotent replays of writes.

Pure ASGI, so the request body can be read here and still reach the route.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import math
import random
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match, Router

from kaspr_tui.server.context import RUNNING_WRITE, IdempotentWrite, ServerContext
from kaspr_tui.server.errors import (
    REQUEST_ID_SCOPE_KEY,
    ApiError,
    conflict,
    internal_error,
    invalid,
    unavailable,
)
from kaspr_tui.server.store import hash_api_key

log = logging.getLogger("kaspr_tui.server")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNMETERED_PATHS = ("/healthz",)
IDEMPOTENT_METHODS = ("POST", "PUT", "PATCH", "DELETE")
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_TTL_SECONDS = 24 * 3600
REPLAYED_HEADERS = ("content-type", "retry-after")


def request_id_of(scope: Scope) -> str | None:
    return scope.get(REQUEST_ID_SCOPE_KEY)


async def send_error(scope: Scope, send: Send, error: ApiError) -> None:
    response = error.response(request_id_of(scope))
    await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def served_methods(router: Router, scope: Scope) -> set[str]:
    """Every method some route serves at this request's path."""
    return {
        method
        for method in HTTP_METHODS
        if any(route.matches({**scope, "method": method})[0] == Match.FULL for route in router.routes)
    }


def _caller_key(scope: Scope) -> str | None:
    """The SHA-256 of the bearer key, if the request sends one."""
    authorization = Headers(scope=scope).get("authorization", "")
    scheme, _, key = authorization.partition(" ")
    return hash_api_key(key.strip()) if scheme.lower() == "bearer" and key.strip() else None


class RequestIdMiddleware:
    """`Request-Id` on every answer; an unhandled exception becomes a generic `500`, logged
    with its traceback but never with the request's body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = f"req_{secrets.token_hex(12)}"
        scope[REQUEST_ID_SCOPE_KEY] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["Request-Id"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("Unhandled error in %s %s (%s)", scope["method"], scope["path"], request_id)
            if not started:
                await send_error(scope, send_with_id, internal_error())


class FaultInjectionMiddleware:
    """`latency_ms` before every request; `fail_rate` of them answered `503` before anything runs."""

    def __init__(self, app: ASGIApp, *, latency_ms: int, fail_rate: float) -> None:
        self.app = app
        self.latency = latency_ms / 1000
        self.fail_rate = fail_rate
        self.random = random.Random()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNMETERED_PATHS:
            await self.app(scope, receive, send)
            return
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.fail_rate and self.random.random() < self.fail_rate:
            await send_error(scope, send, unavailable())
            return
        await self.app(scope, receive, send)


class RateLimitMiddleware:
    """A token bucket per API key (per client address without one): `rate` requests a second."""

    def __init__(self, app: ASGIApp, *, rate: int) -> None:
        self.app = app
        self.rate = rate
        self.buckets: dict[str, tuple[float, float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNMETERED_PATHS:
            await self.app(scope, receive, send)
            return
        caller = _caller_key(scope) or f"address:{(scope.get('client') or ('?',))[0]}"
        now = time.monotonic()
        tokens, last = self.buckets.get(caller, (float(self.rate), now))
        tokens = min(float(self.rate), tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[caller] = (tokens, now)
            wait = max(1, math.ceil((1 - tokens) / self.rate))
            error = ApiError(
                429, "rate_limited",
                f"Too many requests: this key may make {self.rate} a second. Wait {wait} s and try again.",
                headers={"Retry-After": str(wait)},
            )
            await send_error(scope, send, error)
            return
        self.buckets[caller] = (tokens - 1, now)
        await self.app(scope, receive, send)


class IdempotencyMiddleware:
    """Stores the first answer to a write with an `Idempotency-Key` for 24 h and replays it.

    Only answers that reflect what happened are kept (2xx, 402 for a charge or credits that
    were refused, and any answer once a change committed): a request that failed validation,
    authentication or the rate limit stores nothing, so it can be fixed and sent again.

    Crash safety: the answer is stored before a byte of it is sent, so a client that saw it can
    always have it again. The key's row names the process running it (`owner`, a boot id) and
    is marked `applied` in the same SQLite transaction as the write's effects (see
    `ServerContext.transaction`). A row left `running` by a process that died therefore says
    exactly what is on disk: not applied, nothing happened and the retry runs the write; applied
    with its answer lost, the retry runs it again only if it is safe to (`safe_to_run_again`:
    a checkout finds its payment by key), and is otherwise told the write was done.
    """

    def __init__(
        self, app: ASGIApp, *, context: ServerContext, router: Router,
        safe_to_run_again: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.app = app
        self.context = context
        self.router = router
        self.safe_to_run_again = safe_to_run_again
        self.boot_id = secrets.token_hex(8)
        """This process's rows: any other owner's `running` row was left by a process that died."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in IDEMPOTENT_METHODS
            # Unknown routes and methods are answered as such, whatever key they carry.
            or scope["method"] not in served_methods(self.router, scope)
        ):
            await self.app(scope, receive, send)
            return
        key = Headers(scope=scope).get(IDEMPOTENCY_HEADER)
        caller = _caller_key(scope)
        if key is None or caller is None:
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= 255:
            await send_error(scope, send, invalid(
                "parameter_invalid", "Idempotency-Key must be 1 to 255 characters long.", IDEMPOTENCY_HEADER))
            return
        body = await _read_body(receive)
        # Keyed, as card fingerprints are: a plain hash of a card's body could be reversed by
        # trying every number, and the stored row must not be a way back to the card.
        fingerprint = hmac.new(
            self.context.fingerprint_key,
            b"\n".join([scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body]),
            hashlib.sha256,
        ).hexdigest()
        may_run_again = (scope["method"], scope["path"]) in self.safe_to_run_again
        claimed = await asyncio.to_thread(self._claim, caller, key, fingerprint, may_run_again)
        if isinstance(claimed, ApiError):
            await send_error(scope, send, claimed)
        elif isinstance(claimed, IdempotentWrite):
            await self._run_and_store(scope, _replaying(body, receive), send, claimed)
        else:
            await _replay(send, *claimed)

    async def _run_and_store(self, scope: Scope, receive: Receive, send: Send, write: IdempotentWrite) -> None:
        """Run the write with its answer held back; store the answer, then send it."""
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        running = RUNNING_WRITE.set(write)
        try:
            await self.app(scope, receive, hold)
        finally:
            RUNNING_WRITE.reset(running)
            await asyncio.to_thread(self._finish, write, _answer_of(messages))
        self.context.crash_point("after_store")
        for message in messages:
            await send(message)

    def _claim(
        self, caller: str, key: str, fingerprint: str, may_run_again: bool
    ) -> ApiError | IdempotentWrite | tuple[int, dict[str, str], bytes]:
        """Start a run under this key, or say why not: the stored answer, or an error."""
        now = time.time()
        with self.context.transaction() as tx:
            tx.run("DELETE FROM idempotency WHERE created < ?", (now - IDEMPOTENCY_TTL_SECONDS,))
            row = tx.one("SELECT * FROM idempotency WHERE key_hash = ? AND idempotency_key = ?", (caller, key))
            if row is None:
                tx.run(
                    "INSERT INTO idempotency(key_hash, idempotency_key, request_hash, state, created, owner) "
                    "VALUES (?, ?, ?, 'running', ?, ?)",
                    (caller, key, fingerprint, now, self.boot_id),
                )
                return IdempotentWrite(caller, key)
            abandoned = row["state"] == "running" and row["owner"] != self.boot_id
            if abandoned and row["request_hash"] == fingerprint and (may_run_again or not row["applied"]):
                tx.run("UPDATE idempotency SET owner = ? WHERE key_hash = ? AND idempotency_key = ?",
                       (self.boot_id, caller, key))
                return IdempotentWrite(caller, key, applied=bool(row["applied"]))
        if row["request_hash"] != fingerprint:
            return ApiError(
                400, "idempotency_key_reused",
                "This Idempotency-Key was already used for a different request: use a new key for a new request.",
                param=IDEMPOTENCY_HEADER, error_type="idempotency_error",
            )
        if abandoned:
            return conflict(
                "idempotency_answer_lost",
                "This request was carried out, but the server stopped before it could answer. "
                "Reload to see the result instead of sending it again.",
                IDEMPOTENCY_HEADER,
            )
        if row["state"] == "running":
            return ApiError(
                409, "idempotency_key_in_use",
                "A request with this Idempotency-Key is still running: wait for it, then retry.",
                param=IDEMPOTENCY_HEADER, headers={"Retry-After": "1"},
            )
        return row["status"], json.loads(row["headers"]), row["body"]

    def _finish(self, write: IdempotentWrite, answer: tuple[int, dict[str, str], bytes] | None) -> None:
        """Keep the answer if it says what happened; if the write changed something and has no
        answer (it raised), leave the row to no process, so a retry is told it was done."""
        keep = answer is not None and (write.applied or 200 <= answer[0] < 300 or answer[0] == 402)
        where = (write.caller, write.key)
        with self.context.transaction() as tx:
            if keep:
                assert answer is not None
                status, headers, body = answer
                tx.run(
                    "UPDATE idempotency SET state = 'done', status = ?, headers = ?, body = ? "
                    "WHERE key_hash = ? AND idempotency_key = ?",
                    (status, json.dumps(headers), body, *where),
                )
            elif write.applied:
                tx.run("UPDATE idempotency SET owner = NULL WHERE key_hash = ? AND idempotency_key = ?", where)
            else:
                tx.run("DELETE FROM idempotency WHERE key_hash = ? AND idempotency_key = ?", where)


def _answer_of(messages: list[Message]) -> tuple[int, dict[str, str], bytes] | None:
    """Status, replayed headers and body of a complete answer; None if the app sent none."""
    starts = [message for message in messages if message["type"] == "http.response.start"]
    if not starts:
        return None
    headers = {
        name.decode().lower(): value.decode() for name, value in starts[0].get("headers", [])
        if name.decode().lower() in REPLAYED_HEADERS
    }
    body = b"".join(message.get("body", b"") for message in messages if message["type"] == "http.response.body")
    return starts[0]["status"], headers, body


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The body already read, then whatever the client sends next (its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _replay(send: Send, status: int, headers: dict[str, str], body: bytes) -> None:
    raw_headers = [(name.encode(), value.encode()) for name, value in headers.items()]
    raw_headers += [(b"idempotent-replayed", b"true"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
