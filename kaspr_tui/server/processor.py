"""The simulated card processor and checkouts (API.md rule 6).

A checkout opens an invoice and a payment that stays `processing` for `payment_delay` real
seconds, then succeeds or fails by test card. The outcome is decided when the card is added
(the number is gone after that) and settled lazily, when someone next looks at the checkout.
Success applies the quote's change, pays and numbers the invoice, all in one transaction;
failure voids the invoice and changes nothing else.
"""

from __future__ import annotations

import sqlite3
import time

from kaspr_tui.api.models import CardSummary, Checkout, CheckoutError, CheckoutRequest
from kaspr_tui.server.changes import apply_change
from kaspr_tui.server.errors import conflict, invalid, not_found
from kaspr_tui.server.events import record_event
from kaspr_tui.server.invoices import open_invoice, pay_invoice, void_invoice
from kaspr_tui.server.quoting import (
    QUOTE_LIFETIME,
    StoredQuote,
    stored_quote_by_id,
    usable_quote,
)
from kaspr_tui.server.store import Tx, from_db_time, to_db_time
from kaspr_tui.server.workspaces import billing_details_of, load_workspace

SUCCEEDED = "succeeded"
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

OPEN_STATUSES = ("processing", REQUIRES_ACTION)


def card_outcome(number: str) -> str:
    """What charging this card will do, kept instead of the number."""
    return TEST_CARD_OUTCOMES.get(number, SUCCEEDED)


def _wire(tx: Tx, row: sqlite3.Row) -> Checkout:
    return Checkout(
        id=row["id"],
        status=row["status"],
        quote=stored_quote_by_id(tx, row["quote_id"]).quote,
        invoice_id=row["invoice_id"],
        error=CheckoutError.model_validate_json(row["error"]) if row["error"] else None,
        created=from_db_time(row["created"]),
    )


def _load(tx: Tx, workspace_id: str, checkout_id: str) -> sqlite3.Row:
    row = tx.one("SELECT * FROM checkouts WHERE id = ? AND workspace_id = ?", (checkout_id, workspace_id))
    if row is None:
        raise not_found("checkout")
    return row


def settle_due(tx: Tx, workspace_id: str) -> None:
    """Settle the workspace's payments whose processing time is over, and give up on 3-D Secure
    steps left unanswered for as long as a quote lives, so they do not block the workspace."""
    abandoned = tx.all(
        "SELECT * FROM checkouts WHERE workspace_id = ? AND status = ? AND created <= ?",
        (workspace_id, REQUIRES_ACTION, to_db_time(tx.now - QUOTE_LIFETIME)),
    )
    for row in abandoned:
        _fail(tx, row, "authentication_failed")
    rows = tx.all(
        "SELECT * FROM checkouts WHERE workspace_id = ? AND status = 'processing' AND processing_until <= ?",
        (workspace_id, time.time()),
    )
    for row in rows:
        _settle(tx, row)


def _settle(tx: Tx, row: sqlite3.Row) -> None:
    if row["outcome"] == SUCCEEDED:
        _succeed(tx, row, stored_quote_by_id(tx, row["quote_id"]))
    else:
        _fail(tx, row, row["outcome"])


def _succeed(tx: Tx, row: sqlite3.Row, stored: StoredQuote) -> None:
    apply_change(tx, row["workspace_id"], stored.change, actor=row["actor"])
    if row["invoice_id"]:
        pay_invoice(tx, row["invoice_id"], actor=row["actor"])
    tx.run("UPDATE checkouts SET status = 'succeeded', processing_until = NULL WHERE id = ?", (row["id"],))


def _fail(tx: Tx, row: sqlite3.Row, code: str) -> None:
    error = CheckoutError(type="card_error", code=code, message=CARD_ERROR_MESSAGES[code])
    if row["invoice_id"]:
        void_invoice(tx, row["invoice_id"])
    tx.run("UPDATE checkouts SET status = 'failed', processing_until = NULL, error = ? WHERE id = ?",
           (error.model_dump_json(), row["id"]))
    record_event(tx, row["workspace_id"], "payment.failed", f"Payment failed: {error.message}",
                 actor=row["actor"], data={"checkout": row["id"], "code": code})


def _start_processing(tx: Tx, checkout_id: str, payment_delay: float) -> None:
    """Processing until `payment_delay` real seconds from now; an approved 3-D Secure step succeeds."""
    tx.run(
        "UPDATE checkouts SET status = 'processing', processing_until = ?, "
        "outcome = CASE outcome WHEN ? THEN ? ELSE outcome END WHERE id = ?",
        (time.time() + payment_delay, REQUIRES_ACTION, SUCCEEDED, checkout_id),
    )


def create_checkout(
    tx: Tx, workspace_id: str, request: CheckoutRequest, *, actor: str, payment_delay: float,
    idempotency_key: str | None = None,
) -> Checkout:
    """Open a checkout for the quote, or answer the one already opened for it under the same
    Idempotency-Key: the checkout and its key commit together, so a retry whose first answer was
    lost in a crash finds the payment instead of making a second one."""
    settle_due(tx, workspace_id)
    if idempotency_key is not None:
        earlier = tx.one("SELECT * FROM checkouts WHERE workspace_id = ? AND quote_id = ? AND idempotency_key = ?",
                         (workspace_id, request.quote_id, idempotency_key))
        if earlier is not None:
            return _wire(tx, earlier)
    workspace = load_workspace(tx, workspace_id)
    stored = usable_quote(tx, workspace, request.quote_id)
    card = tx.one("SELECT * FROM payment_methods WHERE id = ? AND workspace_id = ?",
                  (request.payment_method_id, workspace_id))
    if card is None:
        raise not_found("payment method", "payment_method_id")
    details = billing_details_of(tx, workspace_id)
    if details is None:
        raise invalid("parameter_missing", "Add your billing details before paying: they go on the invoice.",
                      "billing_details")
    if has_open_checkout(tx, workspace_id):
        raise conflict("checkout_in_progress",
                       "A payment for this workspace is already in progress: wait for it to finish.")
    quote = stored.quote
    invoice_id = None
    if quote.total_due_now > 0:
        invoice_id = open_invoice(
            tx, workspace_id,
            lines=quote.lines, subtotal=quote.subtotal, tax=quote.tax,
            period_start=tx.now, period_end=stored.change.period_end,
            billing_details=details, payment_method=CardSummary(brand=card["brand"], last4=card["last4"]),
        )
    checkout_id = tx.new_id("co")
    tx.run(
        "INSERT INTO checkouts(id, workspace_id, quote_id, payment_method_id, invoice_id, status, outcome, actor,"
        " created, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (checkout_id, workspace_id, quote.id, card["id"], invoice_id, REQUIRES_ACTION, card["outcome"], actor,
         to_db_time(tx.now), idempotency_key),
    )
    row = _load(tx, workspace_id, checkout_id)
    if invoice_id is None:
        _succeed(tx, row, stored)  # nothing to charge: a downgrade or fewer seats later
    elif card["outcome"] != REQUIRES_ACTION:
        _start_processing(tx, checkout_id, payment_delay)
        settle_due(tx, workspace_id)
    return _wire(tx, _load(tx, workspace_id, checkout_id))


def get_checkout(tx: Tx, workspace_id: str, checkout_id: str) -> Checkout:
    settle_due(tx, workspace_id)
    return _wire(tx, _load(tx, workspace_id, checkout_id))


def authenticate_checkout(
    tx: Tx, workspace_id: str, checkout_id: str, approve: bool, *, payment_delay: float
) -> Checkout:
    row = _load(tx, workspace_id, checkout_id)
    if row["status"] != REQUIRES_ACTION:
        raise invalid("checkout_not_awaiting_action",
                      f"This checkout is {row['status'].replace('_', ' ')}: it is not waiting for authentication.")
    if approve:
        _start_processing(tx, checkout_id, payment_delay)
        settle_due(tx, workspace_id)
    else:
        _fail(tx, row, "authentication_failed")
    return _wire(tx, _load(tx, workspace_id, checkout_id))


def has_open_checkout(tx: Tx, workspace_id: str) -> bool:
    return tx.one(f"SELECT 1 FROM checkouts WHERE workspace_id = ? AND status IN {OPEN_STATUSES}",
                  (workspace_id,)) is not None

