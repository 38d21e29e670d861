"""The simulated card processor and checkouts (API.md rules 6 and 11).

A checkout opens an invoice and a payment that stays `processing` for `payment_delay` seconds of
the processor's time (`Clock.instant`), then succeeds or fails by test card; a 3-D Secure card
first waits, `requires_action`, for the bank's answer. The outcome is decided when the card is
tokenized (the number is gone after that). `settlement` settles a payment once it is due, on its
own, in a transaction of its own.

Success applies the quote's change relative to the terms it was quoted against, pays and numbers
the invoice, and saves the billing details and card given with the order; failure voids the
invoice (with the reason) and changes nothing else. A checkout that can no longer be applied as
quoted (the period it priced ended, a plan limit would be passed) fails with `quote_outdated`.
"""

from __future__ import annotations

import sqlite3

from kaspr_tui.api.models import (
    BillingDetails,
    CardSummary,
    Checkout,
    CheckoutError,
    CheckoutRequest,
    Quote,
)
from kaspr_tui.billing.periods import credit_period_bounds
from kaspr_tui.billing.tax import tax_decision
from kaspr_tui.server.billing_details import (
    billing_details_problems,
    normalized,
    store_billing_details,
)
from kaspr_tui.server.changes import apply_change, outdated_reason
from kaspr_tui.server.errors import conflict, field_errors, invalid, not_found, prefixed
from kaspr_tui.server.events import record_event
from kaspr_tui.server.invoices import open_invoice, pay_invoice, tax_wire, void_invoice
from kaspr_tui.server.pagination import page
from kaspr_tui.server.payment_methods import (
    CARD_ERROR_MESSAGES,
    REQUIRES_ACTION,
    SUCCEEDS,
    TokenizedCard,
    card_problems,
    load_card,
    save_card,
    tokenize,
)
from kaspr_tui.server.quoting import StoredQuote, stored_quote_by_id, usable_quote
from kaspr_tui.server.store import Tx, from_db_time, to_db_time
from kaspr_tui.server.workspaces import billing_details_of, load_workspace

PROCESSING = "processing"
OPEN_STATUSES = (PROCESSING, REQUIRES_ACTION)

NOTHING_CHARGED = "nothing was charged"

AUTHENTICATION_EXPIRED = CheckoutError(
    type="card_error", code="authentication_expired",
    message=f"Payment not made: the bank's confirmation came too late; {NOTHING_CHARGED}. "
            "Start the payment again for a new 3-D Secure step.",
)
"""A 3-D Secure step still unanswered when its quote expired (after 15 minutes)."""


def card_error(code: str) -> CheckoutError:
    return CheckoutError(type="card_error", code=code, message=CARD_ERROR_MESSAGES[code])


def quote_outdated(reason: str) -> CheckoutError:
    return CheckoutError(type="invalid_request_error", code="quote_outdated",
                         message=f"Payment not made: {reason}; {NOTHING_CHARGED}. Get a new price and pay again.")


RENEWED = quote_outdated("the subscription renewed while it was in progress, so this price no longer applies")
CREDITS_RESET = quote_outdated(
    "a new monthly credit period began while it was in progress, so this price no longer applies")


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


def open_checkouts(tx: Tx, workspace_id: str) -> list[sqlite3.Row]:
    """The workspace's checkouts not final yet (one at most), with their quote's expiry."""
    return tx.all(
        "SELECT c.*, q.expires_at FROM checkouts c JOIN quotes q ON q.id = c.quote_id "
        f"WHERE c.workspace_id = ? AND c.status IN {OPEN_STATUSES}",
        (workspace_id,),
    )


# ---- settling: run by `settlement`, each in its own transaction dated when it fell due ---------


def settle(tx: Tx, checkout_id: str) -> None:
    """A payment whose processing time is over: it succeeds or fails by its card."""
    row = tx.one("SELECT * FROM checkouts WHERE id = ?", (checkout_id,))
    assert row is not None and row["status"] == PROCESSING
    if row["outcome"] == SUCCEEDS:
        _succeed(tx, row)
    else:
        _fail(tx, row, card_error(row["outcome"]))


def expire_authentication(tx: Tx, checkout_id: str) -> None:
    row = tx.one("SELECT * FROM checkouts WHERE id = ?", (checkout_id,))
    assert row is not None and row["status"] == REQUIRES_ACTION
    _fail(tx, row, AUTHENTICATION_EXPIRED)


def fail_open_checkouts(tx: Tx, workspace_id: str, *, renewal: bool) -> None:
    """A reset comes while a checkout is open: the period its quote priced is over."""
    for row in open_checkouts(tx, workspace_id):
        _fail(tx, row, RENEWED if renewal else CREDITS_RESET)


def _succeed(tx: Tx, row: sqlite3.Row) -> None:
    workspace_id = row["workspace_id"]
    stored = stored_quote_by_id(tx, row["quote_id"])
    if reason := outdated_reason(stored.change, load_workspace(tx, workspace_id)):
        _fail(tx, row, quote_outdated(reason))
        return
    apply_change(tx, workspace_id, stored.change, actor=row["actor"])
    if row["pending_billing_details"]:
        store_billing_details(tx, workspace_id, BillingDetails.model_validate_json(row["pending_billing_details"]),
                              actor=row["actor"])
    if row["pending_card"]:
        saved = save_card(tx, workspace_id, TokenizedCard.from_json(row["pending_card"]), make_default=True,
                          actor=row["actor"], card_id=row["payment_method_id"])
        tx.run("UPDATE checkouts SET payment_method_id = ? WHERE id = ?", (saved.id, row["id"]))
    if row["invoice_id"]:
        pay_invoice(tx, row["invoice_id"], actor=row["actor"])
    tx.run("UPDATE checkouts SET status = 'succeeded', processing_until = NULL WHERE id = ?", (row["id"],))


def _fail(tx: Tx, row: sqlite3.Row, error: CheckoutError) -> None:
    if row["invoice_id"]:
        void_invoice(tx, row["invoice_id"], error)
    tx.run("UPDATE checkouts SET status = 'failed', processing_until = NULL, error = ? WHERE id = ?",
           (error.model_dump_json(), row["id"]))
    record_event(tx, row["workspace_id"], "payment.failed", f"Payment failed: {error.message}",
                 actor=row["actor"], data={"checkout": row["id"], "code": error.code})


# ---- the API ----------------------------------------------------------------------------------


def _start_processing(tx: Tx, checkout_id: str, processing_until: float) -> None:
    """Processing until then (the processor's time); an approved 3-D Secure step succeeds."""
    tx.run(
        "UPDATE checkouts SET status = 'processing', processing_until = ?, "
        "outcome = CASE outcome WHEN ? THEN ? ELSE outcome END WHERE id = ?",
        (processing_until, REQUIRES_ACTION, SUCCEEDS, checkout_id),
    )


def _check_order(tx: Tx, request: CheckoutRequest) -> None:
    """Refuse an order that pays with no card or two, or carries a bad card or bad billing details
    (every field problem at once)."""
    if request.payment_method is not None and request.payment_method_id is not None:
        raise invalid("parameter_invalid", "Pay with a saved card (payment_method_id) or a new one "
                      "(payment_method), not both.", "payment_method")
    if request.payment_method is None and request.payment_method_id is None:
        raise invalid("parameter_missing", "Choose the card to pay with: a saved one (payment_method_id) "
                      "or a new one (payment_method).", "payment_method_id")
    problems = []
    if request.payment_method is not None:
        problems += prefixed(card_problems(request.payment_method, tx.now.date()), "payment_method")
    if request.billing_details is not None:
        problems += prefixed(billing_details_problems(request.billing_details), "billing_details")
    if problems:
        raise field_errors(problems)


def _order_details(tx: Tx, workspace_id: str, request: CheckoutRequest, quote: Quote) -> BillingDetails:
    """The details the invoice is issued to: the order's, else the workspace's; their VAT must be the quote's."""
    details = (normalized(request.billing_details) if request.billing_details is not None
               else billing_details_of(tx, workspace_id))
    if details is None:
        raise invalid("parameter_missing", "Add your billing details before paying: they go on the invoice.",
                      "billing_details")
    if tax_wire(tax_decision(details.address.country, details.vat_number), quote.tax.amount) != quote.tax:
        raise invalid("quote_stale", "The VAT for these billing details is not the one this quote was priced "
                      "with: get a new quote for them.", "billing_details")
    return details


def create_checkout(
    tx: Tx, workspace_id: str, request: CheckoutRequest, *, actor: str, processing_from: float,
    payment_delay: float, fingerprint_key: bytes, idempotency_key: str | None = None,
) -> Checkout:
    """Open a checkout for the quote, or answer the one already opened for it under the same
    Idempotency-Key: the checkout and its key commit together, so a retry whose first answer was
    lost in a crash finds the payment instead of making a second one.

    A payment starts `processing` until `processing_from + payment_delay` (the processor's time);
    `settlement` settles it then. Nothing to charge (a change waiting for the period end) succeeds now."""
    if idempotency_key is not None:
        earlier = tx.one("SELECT * FROM checkouts WHERE workspace_id = ? AND quote_id = ? AND idempotency_key = ?",
                         (workspace_id, request.quote_id, idempotency_key))
        if earlier is not None:
            return _wire(tx, earlier)
    _check_order(tx, request)
    workspace = load_workspace(tx, workspace_id)
    stored: StoredQuote = usable_quote(tx, workspace, request.quote_id)
    if request.payment_method is not None:
        card = tokenize(request.payment_method, fingerprint_key, "payment_method.number")
        card_id, pending_card, summary = tx.new_id("pm"), card.to_json(), CardSummary(brand=card.brand,
                                                                                       last4=card.last4)
        outcome = card.outcome
    else:
        assert request.payment_method_id is not None
        saved = load_card(tx, workspace_id, request.payment_method_id, "payment_method_id")
        card_id, pending_card, outcome = saved["id"], None, saved["outcome"]
        summary = CardSummary(brand=saved["brand"], last4=saved["last4"])
    details = _order_details(tx, workspace_id, request, stored.quote)
    if has_open_checkout(tx, workspace_id):
        raise conflict("checkout_in_progress",
                       "A payment for this workspace is already in progress: wait for it to finish.")
    quote = stored.quote
    invoice_id = None
    if quote.total_due_now > 0:
        # Credits alone are for the month they are added to (credits reset monthly), not the plan's period.
        period_end = (stored.change.period_end if stored.change.changes_terms
                      else credit_period_bounds(load_workspace(tx, workspace_id).billing_anchor, tx.now)[1])
        invoice_id = open_invoice(
            tx, workspace_id,
            lines=quote.lines, subtotal=quote.subtotal, tax=quote.tax,
            period_start=tx.now, period_end=period_end,
            billing_details=details, payment_method=summary,
        )
    checkout_id = tx.new_id("co")
    tx.run(
        "INSERT INTO checkouts(id, workspace_id, quote_id, payment_method_id, invoice_id, status, outcome, actor,"
        " created, idempotency_key, pending_card, pending_billing_details)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (checkout_id, workspace_id, quote.id, card_id, invoice_id, REQUIRES_ACTION, outcome, actor,
         to_db_time(tx.now), idempotency_key, pending_card,
         details.model_dump_json() if request.billing_details is not None else None),
    )
    if invoice_id is None:
        _succeed(tx, _load(tx, workspace_id, checkout_id))  # nothing to charge: a downgrade or fewer seats later
    elif outcome != REQUIRES_ACTION:
        _start_processing(tx, checkout_id, processing_from + payment_delay)
    return _wire(tx, _load(tx, workspace_id, checkout_id))


def get_checkout(tx: Tx, workspace_id: str, checkout_id: str) -> Checkout:
    return _wire(tx, _load(tx, workspace_id, checkout_id))


def list_checkouts(
    tx: Tx, workspace_id: str, status: str | None, limit: int, starting_after: str | None
) -> tuple[list[Checkout], bool]:
    where, params = "workspace_id = ?", [workspace_id]
    if status is not None:
        where, params = "workspace_id = ? AND status = ?", [workspace_id, status]
    rows, has_more = page(tx, "checkouts", where, tuple(params), limit, starting_after)
    return [_wire(tx, row) for row in rows], has_more


def authenticate_checkout(
    tx: Tx, workspace_id: str, checkout_id: str, approve: bool, *, processing_from: float, payment_delay: float
) -> Checkout:
    """The bank's answer to a 3-D Secure step. One that comes after the quote expired finds the
    checkout failed already (`AUTHENTICATION_EXPIRED`), and is answered with it."""
    row = _load(tx, workspace_id, checkout_id)
    checkout = _wire(tx, row)
    if checkout.error is not None and checkout.error.code == AUTHENTICATION_EXPIRED.code:
        return checkout
    if row["status"] != REQUIRES_ACTION:
        raise invalid("checkout_not_awaiting_action",
                      f"This checkout is {row['status'].replace('_', ' ')}: it is not waiting for authentication.")
    if approve:
        _start_processing(tx, checkout_id, processing_from + payment_delay)
    else:
        _fail(tx, row, card_error("authentication_failed"))
    return _wire(tx, _load(tx, workspace_id, checkout_id))


def has_open_checkout(tx: Tx, workspace_id: str) -> bool:
    return tx.one(f"SELECT 1 FROM checkouts WHERE workspace_id = ? AND status IN {OPEN_STATUSES}",
                  (workspace_id,)) is not None
