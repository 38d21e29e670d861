"""Cards, through a mock tokenizer: brand, last 4, expiry, a fingerprint and the simulated outcome
of the test card. The number and the CVC are read once, here, and never stored or logged."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3

from kaspr_tui.api.models import PaymentMethod, PaymentMethodCreate
from kaspr_tui.billing.cards import detect_brand, normalize_card_number, validate_card
from kaspr_tui.billing.catalog import PLANS
from kaspr_tui.server.errors import conflict, field_errors, invalid, not_found
from kaspr_tui.server.events import record_event
from kaspr_tui.server.processor import (
    CARD_ERROR_MESSAGES,
    DECLINED_WHEN_SAVED,
    card_outcome,
)
from kaspr_tui.server.store import Tx, to_db_time
from kaspr_tui.server.workspaces import load_workspace


def _wire(row: sqlite3.Row) -> PaymentMethod:
    return PaymentMethod(
        id=row["id"], brand=row["brand"], last4=row["last4"], exp_month=row["exp_month"],
        exp_year=row["exp_year"], name=row["name"], is_default=bool(row["is_default"]),
    )


def _describe(row: sqlite3.Row) -> str:
    return f"{row['brand'].title()} ending {row['last4']}"


def list_cards(tx: Tx, workspace_id: str) -> list[PaymentMethod]:
    rows = tx.all("SELECT * FROM payment_methods WHERE workspace_id = ? ORDER BY seq DESC", (workspace_id,))
    return [_wire(row) for row in rows]


def load_card(tx: Tx, workspace_id: str, card_id: str, param: str | None = None) -> sqlite3.Row:
    row = tx.one("SELECT * FROM payment_methods WHERE id = ? AND workspace_id = ?", (card_id, workspace_id))
    if row is None:
        raise not_found("payment method", param)
    return row


def add_card(
    tx: Tx, workspace_id: str, card: PaymentMethodCreate, *, fingerprint_key: bytes, actor: str
) -> PaymentMethod:
    number = normalize_card_number(card.number.get_secret_value())
    cvc = card.cvc.get_secret_value()
    errors = validate_card(number, card.exp_month, card.exp_year, cvc, tx.now.date())
    if errors:
        raise field_errors(errors)
    if number == DECLINED_WHEN_SAVED:
        raise invalid("card_declined", CARD_ERROR_MESSAGES["card_declined"], "number", status=402)
    card_id = tx.new_id("pm")
    make_default = card.make_default or tx.one(
        "SELECT 1 FROM payment_methods WHERE workspace_id = ?", (workspace_id,)) is None
    tx.run(
        "INSERT INTO payment_methods(id, workspace_id, brand, last4, exp_month, exp_year, name, fingerprint,"
        " outcome, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            card_id, workspace_id, detect_brand(number), number[-4:], card.exp_month, card.exp_year, card.name,
            hmac.new(fingerprint_key, number.encode(), hashlib.sha256).hexdigest(),
            card_outcome(number), to_db_time(tx.now),
        ),
    )
    row = load_card(tx, workspace_id, card_id)
    record_event(tx, workspace_id, "payment_method.added", f"Card {_describe(row)} added", actor=actor,
                 data={"payment_method": card_id})
    if make_default:
        return set_default(tx, workspace_id, card_id, actor=actor)
    return _wire(row)


def set_default(tx: Tx, workspace_id: str, card_id: str, *, actor: str) -> PaymentMethod:
    row = load_card(tx, workspace_id, card_id)
    tx.run("UPDATE payment_methods SET is_default = (id = ?) WHERE workspace_id = ?", (card_id, workspace_id))
    record_event(tx, workspace_id, "payment_method.default", f"Card {_describe(row)} is now the default",
                 actor=actor, data={"payment_method": card_id})
    return _wire(load_card(tx, workspace_id, card_id))


def delete_card(tx: Tx, workspace_id: str, card_id: str, *, actor: str) -> None:
    row = load_card(tx, workspace_id, card_id)
    others = tx.all("SELECT id FROM payment_methods WHERE workspace_id = ? AND id != ? ORDER BY seq DESC",
                    (workspace_id, card_id))
    plan = PLANS[load_workspace(tx, workspace_id).terms.plan]
    if not others and plan.is_paid:
        raise conflict(
            "last_payment_method",
            f"This is the only card of a paid plan ({plan.name}): add another card before removing this one.",
        )
    tx.run("DELETE FROM payment_methods WHERE id = ?", (card_id,))
    if row["is_default"] and others:
        tx.run("UPDATE payment_methods SET is_default = 1 WHERE id = ?", (others[0]["id"],))
    record_event(tx, workspace_id, "payment_method.removed", f"Card {_describe(row)} removed", actor=actor,
                 data={"payment_method": card_id})
