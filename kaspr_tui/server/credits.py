"""Credit balances per type per monthly credit period: included (plan × seats), add-on packs,
used, and what support transferred in or out. Nothing carries over to the next period."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from kaspr_tui.api.models import CreditBalance
from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES, PLANS, CreditType
from kaspr_tui.billing.quotes import Terms
from kaspr_tui.server.errors import insufficient_credits
from kaspr_tui.server.events import record_event
from kaspr_tui.server.store import Tx, from_db_time, to_db_time


def included_credits(terms: Terms, credit_type: CreditType) -> int:
    return PLANS[terms.plan].included[credit_type] * terms.seats


def grant_credit_period(
    tx: Tx, workspace_id: str, terms: Terms, start: datetime, end: datetime, addons: dict[CreditType, int]
) -> None:
    """A fresh period: the plan's credits for every seat plus the packs that renew; nothing used."""
    for credit_type in CREDIT_TYPES:
        tx.run(
            "INSERT INTO credit_balances(workspace_id, credit_type, period_start, period_end, included, addon) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (workspace_id, credit_type, to_db_time(start), to_db_time(end),
             included_credits(terms, credit_type), addons.get(credit_type, 0)),
        )


def _current_rows(tx: Tx, workspace_id: str) -> dict[CreditType, sqlite3.Row]:
    rows = tx.all(
        "SELECT * FROM credit_balances WHERE workspace_id = ? AND period_start = "
        "(SELECT MAX(period_start) FROM credit_balances WHERE workspace_id = ?)",
        (workspace_id, workspace_id),
    )
    return {row["credit_type"]: row for row in rows}


def current_credit_period(tx: Tx, workspace_id: str) -> tuple[datetime, datetime]:
    row = tx.one(
        "SELECT period_start, period_end FROM credit_balances WHERE workspace_id = ? "
        "ORDER BY period_start DESC LIMIT 1",
        (workspace_id,),
    )
    assert row is not None, "every workspace has a credit period from its creation"
    return from_db_time(row["period_start"]), from_db_time(row["period_end"])


def _remaining(row: sqlite3.Row) -> int:
    return row["included"] + row["addon"] + row["transferred"] - row["used"]


def balances(tx: Tx, workspace_id: str) -> list[CreditBalance]:
    rows = _current_rows(tx, workspace_id)
    return [
        CreditBalance(
            type=credit_type,
            included=rows[credit_type]["included"],
            addon=rows[credit_type]["addon"],
            used=rows[credit_type]["used"],
            remaining=max(0, _remaining(rows[credit_type])),
            resets_at=from_db_time(rows[credit_type]["period_end"]),
        )
        for credit_type in CREDIT_TYPES
    ]


def _update_current(tx: Tx, workspace_id: str, credit_type: CreditType, assignment: str, value: int) -> None:
    start, _ = current_credit_period(tx, workspace_id)
    tx.run(
        f"UPDATE credit_balances SET {assignment} WHERE workspace_id = ? AND credit_type = ? AND period_start = ?",
        (value, workspace_id, credit_type, to_db_time(start)),
    )


def raise_included(tx: Tx, workspace_id: str, terms: Terms) -> None:
    """After terms grow mid-period: the plan's credits for the new terms, never fewer than granted."""
    for credit_type in CREDIT_TYPES:
        granted = included_credits(terms, credit_type)
        _update_current(tx, workspace_id, credit_type, "included = MAX(included, ?)", granted)


def add_addon_credits(tx: Tx, workspace_id: str, credit_type: CreditType, quantity: int) -> None:
    _update_current(tx, workspace_id, credit_type, "addon = addon + ?", quantity)


def move_current_period(tx: Tx, workspace_id: str, start: datetime, end: datetime) -> None:
    """The billing cycle restarted: the current balances now run on the new cycle's first month."""
    old_start, _ = current_credit_period(tx, workspace_id)
    tx.run(
        "UPDATE credit_balances SET period_start = ?, period_end = ? WHERE workspace_id = ? AND period_start = ?",
        (to_db_time(start), to_db_time(end), workspace_id, to_db_time(old_start)),
    )


def _require_available(tx: Tx, workspace_id: str, credit_type: CreditType, quantity: int, param: str) -> None:
    available = max(0, _remaining(_current_rows(tx, workspace_id)[credit_type]))
    if quantity > available:
        label = CREDIT_LABELS[credit_type].lower()
        raise insufficient_credits(
            f"Only {available:,} {label} are left this period and {quantity:,} are needed: "
            "buy an add-on pack or wait for the reset.",
            param,
        )


def transfer_credits(
    tx: Tx, from_workspace: str, to_workspace: str, credit_type: CreditType, quantity: int, *, param: str
) -> None:
    """Move `quantity` of this period's credits from one pool to another, or `402` if they are not there."""
    _require_available(tx, from_workspace, credit_type, quantity, param)
    _update_current(tx, from_workspace, credit_type, "transferred = transferred - ?", quantity)
    _update_current(tx, to_workspace, credit_type, "transferred = transferred + ?", quantity)


def consume(tx: Tx, workspace_id: str, credit_type: CreditType, quantity: int, *, actor: str) -> None:
    """Spend credits: one pool and one counter, so included credits go first, then add-ons."""
    _require_available(tx, workspace_id, credit_type, quantity, "quantity")
    _update_current(tx, workspace_id, credit_type, "used = used + ?", quantity)
    record_event(
        tx,
        workspace_id,
        "credits.consumed",
        f"{quantity:,} {CREDIT_LABELS[credit_type].lower()} used",
        actor=actor,
        data={"type": credit_type, "quantity": quantity},
    )
