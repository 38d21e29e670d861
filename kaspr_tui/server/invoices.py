"""Invoices: opened with a charge, numbered only when paid (gapless per workspace), or voided.

Each keeps a copy of the billing details and card as they were when it was issued.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from kaspr_tui.api.models import (
    BillingDetails,
    CardSummary,
    CheckoutError,
    Invoice,
    InvoiceSummary,
    QuoteLine,
    Tax,
)
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.quotes import Line
from kaspr_tui.billing.tax import TaxDecision
from kaspr_tui.server.events import record_event
from kaspr_tui.server.store import Tx, from_db_time, to_db_time


def tax_wire(decision: TaxDecision, amount: int) -> Tax:
    return Tax(
        rate_percent=float(decision.rate_percent),
        amount=amount,
        reverse_charge=decision.reverse_charge,
        country=decision.country,
    )


def lines_wire(lines: tuple[Line, ...] | list[Line]) -> list[QuoteLine]:
    return [
        QuoteLine(
            description=line.description, quantity=line.quantity, unit_amount=line.unit_amount, amount=line.amount
        )
        for line in lines
    ]


def open_invoice(
    tx: Tx,
    workspace_id: str,
    *,
    lines: list[QuoteLine],
    subtotal: int,
    tax: Tax,
    period_start: datetime,
    period_end: datetime,
    billing_details: BillingDetails | None,
    payment_method: CardSummary | None,
) -> str:
    invoice_id = tx.new_id("in")
    tx.run(
        "INSERT INTO invoices(id, workspace_id, status, created, period_start, period_end, lines, subtotal, tax,"
        " total, billing_details, payment_method) VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            invoice_id,
            workspace_id,
            to_db_time(tx.now),
            to_db_time(period_start),
            to_db_time(period_end),
            json.dumps([line.model_dump() for line in lines]),
            subtotal,
            tax.model_dump_json(),
            subtotal + tax.amount,
            billing_details.model_dump_json() if billing_details else None,
            payment_method.model_dump_json() if payment_method else None,
        ),
    )
    return invoice_id


def pay_invoice(tx: Tx, invoice_id: str, *, actor: str | None) -> str:
    """Mark paid and give it the workspace's next number: `ACME-2026-000013`."""
    invoice = tx.one("SELECT workspace_id, total FROM invoices WHERE id = ?", (invoice_id,))
    assert invoice is not None
    workspace = tx.row(
        "UPDATE workspaces SET invoice_seq = invoice_seq + 1 WHERE id = ? RETURNING invoice_prefix, invoice_seq",
        (invoice["workspace_id"],),
    )
    number = f"{workspace['invoice_prefix']}-{tx.now.year}-{workspace['invoice_seq']:06d}"
    tx.run(
        "UPDATE invoices SET status = 'paid', number = ?, paid_at = ? WHERE id = ?",
        (number, to_db_time(tx.now), invoice_id),
    )
    record_event(
        tx,
        invoice["workspace_id"],
        "invoice.paid",
        f"Invoice {number} paid: {format_money(invoice['total'])}",
        actor=actor,
        data={"invoice": invoice_id, "number": number, "total": invoice["total"]},
    )
    return number


def void_invoice(tx: Tx, invoice_id: str, payment_error: CheckoutError) -> None:
    """The invoice of a payment that failed: kept, unnumbered, with why it failed."""
    tx.run("UPDATE invoices SET status = 'void', payment_error = ? WHERE id = ? AND status = 'open'",
           (payment_error.model_dump_json(), invoice_id))


def invoice_summary(row: sqlite3.Row) -> InvoiceSummary:
    return InvoiceSummary(
        id=row["id"],
        number=row["number"],
        status=row["status"],
        payment_error=CheckoutError.model_validate_json(row["payment_error"]) if row["payment_error"] else None,
        created=from_db_time(row["created"]),
        total=row["total"],
        period_start=from_db_time(row["period_start"]),
        period_end=from_db_time(row["period_end"]),
    )


def invoice_detail(row: sqlite3.Row, workspace_name: str) -> Invoice:
    return Invoice(
        **invoice_summary(row).model_dump(),
        lines=json.loads(row["lines"]),
        subtotal=row["subtotal"],
        tax=Tax.model_validate_json(row["tax"]),
        billing_details=BillingDetails.model_validate_json(row["billing_details"]) if row["billing_details"] else None,
        payment_method=CardSummary.model_validate_json(row["payment_method"]) if row["payment_method"] else None,
        paid_at=from_db_time(row["paid_at"]) if row["paid_at"] else None,
        workspace_name=workspace_name,
    )
