"""What every route needs: settings, the store and the clock, and a transaction that first
catches the workspace up with everything that fell due (renewals, credit resets)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import Request

from kaspr_tui.server.clock import OFFSET_KEY, Clock
from kaspr_tui.server.renewals import catch_up
from kaspr_tui.server.seed import seed_if_empty
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.store import Store, Tx


@dataclass
class ServerContext:
    settings: ServerSettings
    store: Store
    clock: Clock
    fingerprint_key: bytes
    """The per-database secret card fingerprints are an HMAC with."""

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
        with self.store.transaction(self.clock.now) as tx:
            yield tx

    @contextmanager
    def workspace_transaction(self, workspace_id: str) -> Iterator[Tx]:
        """A transaction on a workspace that is up to date with the clock."""
        with self.transaction() as tx:
            catch_up(tx, workspace_id)
            yield tx


def get_context(request: Request) -> ServerContext:
    return request.app.state.context
