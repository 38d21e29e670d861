"""What every route needs: settings, the store and the clock, and a transaction on workspaces
that have nothing left due (payments to settle, renewals, credit resets): what fell due is done
first, each in a transaction of its own (`settlement`)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from fastapi import Request

from kaspr_tui.server.clock import Clock
from kaspr_tui.server.seed import seed_if_empty
from kaspr_tui.server.settings import CrashPoint, ServerSettings
from kaspr_tui.server.settlement import next_due, run
from kaspr_tui.server.store import Store, Tx

SETTLE_EVERY_SECONDS = 1.0
"""The longest the background settler sleeps: how late at most a reset or an expired 3-D Secure
step is done when nobody asks (a payment is settled when it is due)."""


@dataclass
class IdempotentWrite:
    """The write this request runs under an Idempotency-Key (the middleware claimed the key)."""

    caller: str
    """The SHA-256 of the caller's API key: keys belong to one API key."""
    key: str
    applied: bool = False
    """Whether one of its transactions changed something and committed."""


RUNNING_WRITE: ContextVar[IdempotentWrite | None] = ContextVar("kaspr_running_write", default=None)


@dataclass
class ServerContext:
    settings: ServerSettings
    store: Store
    clock: Clock
    fingerprint_key: bytes
    """The per-database secret card fingerprints are an HMAC with."""
    verified_keys: set[str] = field(default_factory=set)
    """Hashes of the API keys that have authenticated: the rate limit counts these per key."""
    wake_settler: Callable[[], None] = field(default=lambda: None)
    """Tells the background settler a payment started, so it is settled when due (set by the app)."""

    @classmethod
    def open(cls, settings: ServerSettings) -> ServerContext:
        store = Store(settings.db_path, reset=settings.reset)
        clock = Clock(settings.frozen_now, still=settings.still_clock)
        with store.transaction(clock.now) as tx:
            clock.load(tx)
        fingerprint_key = store.fingerprint_secret()
        seed_if_empty(store, clock.now(), fingerprint_key)
        return cls(settings, store, clock, fingerprint_key)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One transaction. Under an Idempotency-Key, one that changed anything also marks the key
        `applied` before it commits, so after a crash the key tells whether its effects are on disk."""
        write = RUNNING_WRITE.get()
        with self.store.transaction(self.clock.now) as tx:
            changes_before = tx.conn.total_changes
            yield tx
            wrote = write if write is not None and tx.conn.total_changes > changes_before else None
            if wrote is not None:
                tx.run("UPDATE idempotency SET applied = 1 WHERE key_hash = ? AND idempotency_key = ?",
                       (wrote.caller, wrote.key))
                self.crash_point("before_commit")
        if wrote is not None:
            wrote.applied = True
            self.crash_point("after_commit")

    def crash_point(self, point: CrashPoint) -> None:
        """Tests only (`ServerSettings.crash_at`): die here as a power cut would, with no cleanup."""
        if self.settings.crash_at == point:
            os.kill(os.getpid(), signal.SIGKILL)

    @contextmanager
    def workspace_transaction(self, *workspace_ids: str) -> Iterator[Tx]:
        """A request's transaction on workspaces with nothing due: whatever fell due is done first,
        outside it (`run_due`), so a request that rolls back never takes a settlement with it."""
        while True:
            with ExitStack() as attempt:
                tx = attempt.enter_context(self.transaction())
                if not self._anything_due(tx, workspace_ids):
                    request = attempt.pop_all()
                    break
            self.run_due(*workspace_ids)  # the attempt changed nothing: its transaction is left empty
        with request:
            yield tx

    def _anything_due(self, tx: Tx, workspace_ids: tuple[str, ...]) -> bool:
        instant, ahead = self.clock.reading()
        return any(next_due(tx, workspace_id, instant=instant, ahead=ahead) for workspace_id in workspace_ids)

    def run_due(self, *workspace_ids: str) -> None:
        """Everything due on these workspaces, oldest first, each in a committed transaction of its
        own: the processor's and the calendar's work, not any request's (no Idempotency-Key is
        marked by it, and no crash point is in it)."""
        for workspace_id in workspace_ids:
            done = None
            while True:
                with self.store.transaction(self.clock.now) as tx:
                    instant, ahead = self.clock.reading()
                    due = next_due(tx, workspace_id, instant=instant, ahead=ahead)
                    if due is None:
                        break
                    if due == done:  # a step that left itself due would loop for ever: fail instead
                        raise RuntimeError(f"{due} is still due after it was done")
                    run(tx, workspace_id, due)
                    done = due

    def run_due_everywhere(self) -> float:
        """`run_due` on every workspace; then how many seconds until the next payment is due, at most
        `SETTLE_EVERY_SECONDS` (resets and 3-D Secure expiries are checked that often)."""
        with self.store.transaction(self.clock.now) as tx:
            workspace_ids = [row["id"] for row in tx.all("SELECT id FROM workspaces ORDER BY seq")]
        self.run_due(*workspace_ids)
        with self.store.transaction(self.clock.now) as tx:
            next_payment = tx.one("SELECT MIN(processing_until) AS due FROM checkouts WHERE status = 'processing'")
        if next_payment is None or next_payment["due"] is None:
            return SETTLE_EVERY_SECONDS
        return min(max(next_payment["due"] - self.clock.instant(), 0.0), SETTLE_EVERY_SECONDS)


async def get_context(request: Request) -> ServerContext:
    # `async` wherever a dependency does no I/O: FastAPI runs a plain `def` one in a worker thread,
    # a hop per request (these were 4 of the 6 hops of a request; 15% of the simulation's CPU).
    return request.app.state.context
