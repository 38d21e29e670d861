"""What falls due on a workspace as the server's clock moves, done in the order it fell due.

Three things fall due: a payment whose processing time is over (on the processor's time), a 3-D
Secure step still unanswered when its quote expires, and the monthly credit reset (with the
period's renewal when the period ends). They are done oldest first, each dated when it fell due:
a payment that finished before a renewal is applied before it, and a checkout still open when a
reset comes is failed by it (the period its quote priced is over).

The server runs each in a transaction of its own (`ServerContext.run_due`), before any request on
the workspace and from a background task, never inside a request's transaction: a request that
fails and rolls back cannot take a settlement with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from kaspr_tui.server import processor
from kaspr_tui.server.credits import current_credit_period
from kaspr_tui.server.renewals import renews_period, reset
from kaspr_tui.server.store import Tx, from_db_time

DueKind = Literal["payment", "authentication_expired", "reset"]

_FIRST_ON_A_TIE: dict[DueKind, int] = {"payment": 0, "authentication_expired": 1, "reset": 2}
"""A payment done at the very moment of a reset was done in the period it priced."""


@dataclass(frozen=True)
class Due:
    at: datetime
    """When it fell due on the calendar, to the microsecond (the order things are done in)."""
    kind: DueKind
    checkout_id: str | None = None


def next_due(tx: Tx, workspace_id: str, *, instant: float, ahead: float) -> Due | None:
    """The oldest thing due on the workspace at `tx.now` (the calendar) and `instant` (the
    processor's time, `ahead` seconds ahead of the calendar)."""
    candidates = []
    for row in processor.open_checkouts(tx, workspace_id):
        if row["status"] == processor.PROCESSING and row["processing_until"] <= instant:
            done = datetime.fromtimestamp(row["processing_until"] - ahead, UTC)
            candidates.append(Due(max(done, from_db_time(row["created"])), "payment", row["id"]))
        elif row["status"] == processor.REQUIRES_ACTION and (expires := from_db_time(row["expires_at"])) <= tx.now:
            candidates.append(Due(expires, "authentication_expired", row["id"]))
    _, reset_at = current_credit_period(tx, workspace_id)
    if reset_at <= tx.now:
        candidates.append(Due(reset_at, "reset"))
    return min(candidates, key=lambda due: (due.at, _FIRST_ON_A_TIE[due.kind]), default=None)


def run(tx: Tx, workspace_id: str, due: Due) -> None:
    """Do `due`, in `tx`, dated (to the second, as everything is) when it fell due."""
    dated = Tx(tx.conn, min(due.at.replace(microsecond=0), tx.now))
    if due.kind == "reset":
        processor.fail_open_checkouts(dated, workspace_id, renewal=renews_period(dated, workspace_id))
        reset(dated, workspace_id)
    else:
        assert due.checkout_id is not None
        if due.kind == "payment":
            processor.settle(dated, due.checkout_id)
        else:
            processor.expire_authentication(dated, due.checkout_id)


def catch_up(tx: Tx, workspace_id: str) -> None:
    """Everything due on the workspace at `tx.now`, in this one transaction, on a processor's time
    that is the calendar's: how the seed writes the demo's history."""
    while due := next_due(tx, workspace_id, instant=tx.now.timestamp(), ahead=0.0):
        run(tx, workspace_id, due)
