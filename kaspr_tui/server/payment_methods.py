"""Cards, through a mock tokenizer: brand, last 4, expiry, a fingerprint and the simulated outcome
of the test card. The number and the CVC are read once, here, and never stored or logged.

A card is one card per workspace by fingerprint: saving the same number again updates the card
already saved (its expiry and name) instead of adding a second one."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date

from kaspr_tui.api.models import CardInput, PaymentMethod, PaymentMethodCreate
from kaspr_tui.billing.cards import detect_brand, normalize_card_number, validate_card
from kaspr_tui.billing.catalog import PLANS
from kaspr_tui.billing.errors import FieldError
from kaspr_tui.billing.validation import validate_text
from kaspr_tui.server.errors import conflict, field_errors, invalid, not_found
from kaspr_tui.server.events import record_event
from kaspr_tui.server.store import Tx, to_db_time
from kaspr_tui.server.workspaces import load_workspace

SUCCEEDS = "succeeded"
REQUIRES_ACTION = "requires_action"

TEST_CARD_OUTCOMES = {
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
    "4000000000000127": "incorrect_cvc",
    "4000000000000119": "processing_error",
    "4000002760003184": REQUIRES_ACTION,
}
"""Stripe's test cards; any other valid card succeeds."""

DECLINED_WHEN_SAVED = "4100000000000019"
"""Stripe's "always blocked" test card: the processor refuses it as soon as it is saved (a card
update can be declined), while the cards above are saved and only decline when charged."""

CARD_ERROR_MESSAGES = {
    "card_declined": "Your card was declined. Use another card, or ask your bank why.",
    "insufficient_funds": "Your card has insufficient funds. Use another card.",
    "expired_card": "Your card has expired. Use a card that is still valid.",
    "incorrect_cvc": "The security code (CVC) is incorrect. Check it and try again.",
    "processing_error": "Your card could not be charged because of a processing error. Try again in a moment.",
    "authentication_failed": "The payment was not authenticated (3-D Secure). Try again, or use another card.",
}


@dataclass(frozen=True)
class TokenizedCard:
    """What the server keeps of a card: never the number or the CVC."""

    brand: str
    last4: str
    exp_month: int
    exp_year: int
    name: str
    fingerprint: str
    """An HMAC of the number with the database's secret: the same card, never a way back to it."""
    outcome: str
    """What charging it will do (the test card's outcome), decided now that the number is at hand."""

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> TokenizedCard:
        return cls(**json.loads(text))


def card_problems(card: CardInput, today: date) -> list[FieldError]:
    """Every problem with the card as typed (rule 8), named by its param."""
    errors = validate_card(normalize_card_number(card.number.get_secret_value()), card.exp_month, card.exp_year,
                           card.cvc.get_secret_value(), today)
    if name_error := validate_text(card.name, "name", "the name on the card"):
        errors.append(name_error)
    return errors


def tokenize(card: CardInput, fingerprint_key: bytes, param: str = "number") -> TokenizedCard:
    """The card as kept, once `card_problems` found nothing; `402 card_declined` for a card the
    processor blocks at once."""
    number = normalize_card_number(card.number.get_secret_value())
    if number == DECLINED_WHEN_SAVED:
        raise invalid("card_declined", CARD_ERROR_MESSAGES["card_declined"], param, status=402)
    return TokenizedCard(
        brand=detect_brand(number), last4=number[-4:], exp_month=card.exp_month, exp_year=card.exp_year,
        name=card.name, fingerprint=hmac.new(fingerprint_key, number.encode(), hashlib.sha256).hexdigest(),
        outcome=TEST_CARD_OUTCOMES.get(number, SUCCEEDS),
    )


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
    if errors := card_problems(card, tx.now.date()):
        raise field_errors(errors)
    return save_card(tx, workspace_id, tokenize(card, fingerprint_key), make_default=card.make_default,
                     actor=actor)


def save_card(
    tx: Tx, workspace_id: str, card: TokenizedCard, *, make_default: bool, actor: str | None,
    card_id: str | None = None,
) -> PaymentMethod:
    """Keep the card (under `card_id` if given), or update the same card already kept; the first
    card of a workspace is its default."""
    same = tx.one("SELECT * FROM payment_methods WHERE workspace_id = ? AND fingerprint = ?",
                  (workspace_id, card.fingerprint))
    if same is not None:
        details = (card.exp_month, card.exp_year, card.name)
        if details != (same["exp_month"], same["exp_year"], same["name"]):
            tx.run("UPDATE payment_methods SET exp_month = ?, exp_year = ?, name = ? WHERE id = ?",
                   (*details, same["id"]))
            record_event(tx, workspace_id, "payment_method.updated",
                         f"Card {_describe(same)} updated: expires {card.exp_month:02d}/{card.exp_year}",
                         actor=actor, data={"payment_method": same["id"]})
        saved_id = same["id"]
    else:
        make_default = make_default or tx.one(
            "SELECT 1 FROM payment_methods WHERE workspace_id = ?", (workspace_id,)) is None
        saved_id = card_id or tx.new_id("pm")
        tx.run(
            "INSERT INTO payment_methods(id, workspace_id, brand, last4, exp_month, exp_year, name, fingerprint,"
            " outcome, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (saved_id, workspace_id, card.brand, card.last4, card.exp_month, card.exp_year, card.name,
             card.fingerprint, card.outcome, to_db_time(tx.now)),
        )
        record_event(tx, workspace_id, "payment_method.added",
                     f"Card {_describe(load_card(tx, workspace_id, saved_id))} added", actor=actor,
                     data={"payment_method": saved_id})
    row = load_card(tx, workspace_id, saved_id)
    if make_default and not row["is_default"]:
        return set_default(tx, workspace_id, saved_id, actor=actor)
    return _wire(row)


def set_default(tx: Tx, workspace_id: str, card_id: str, *, actor: str | None) -> PaymentMethod:
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
    if row["is_default"] and plan.is_paid:
        # Issue 12: the card that pays the plan is never swapped behind the customer's back.
        raise conflict(
            "default_payment_method",
            f"This card pays for your {plan.name} plan: make another card the default before removing it.",
        )
    tx.run("DELETE FROM payment_methods WHERE id = ?", (card_id,))
    if row["is_default"] and others:
        tx.run("UPDATE payment_methods SET is_default = 1 WHERE id = ?", (others[0]["id"],))
    record_event(tx, workspace_id, "payment_method.removed", f"Card {_describe(row)} removed", actor=actor,
                 data={"payment_method": card_id})
