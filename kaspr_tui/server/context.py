"""What every route needs: settings, the store and the clock, and a transaction that first
catches the workspace up with everything that fell due (renewals, credit resets)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from fastapi import Request

from kaspr_tui.server.clock import OFFSET_KEY, Clock
from kaspr_tui.server.renewals import catch_up
from kaspr_tui.server.seed import seed_if_empty
from kaspr_tui.server.settings import CrashPoint, ServerSettings
from kaspr_tui.server.store import Store, Tx


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

    @classmethod
    def open(cls, settings: ServerSettings) -> ServerContext:
        store = Store(settings.db_path, reset=settings.reset)
        clock = Clock(settings.frozen_now)
        with store.transaction(clock.now) as tx:
            clock.rewind_to(int(tx.meta(OFFSET_KEY) or 0))
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
            wrote = write is not None and tx.conn.total_changes > changes_before
            if wrote:
                tx.run("UPDATE idempotency SET applied = 1 WHERE key_hash = ? AND idempotency_key = ?",
                       (write.caller, write.key))
                self.crash_point("before_commit")
        if wrote:
            write.applied = True
            self.crash_point("after_commit")

    def crash_point(self, point: CrashPoint) -> None:
        """Tests only (`ServerSettings.crash_at`): die here as a power cut would, with no cleanup."""
        if self.settings.crash_at == point:
            os.kill(os.getpid(), signal.SIGKILL)

    @contextmanager
    def workspace_transaction(self, workspace_id: str) -> Iterator[Tx]:
        """A transaction on a workspace that is up to date with the clock."""
        with self.transaction() as tx:
            catch_up(tx, workspace_id)
            yield tx


def get_context(request: Request) -> ServerContext:
    return request.app.state.context
