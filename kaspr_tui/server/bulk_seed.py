"""Many members or invoices at once, for benchmarks and tests of big workspaces (not part of the
demo seed).

    context = ServerContext.open(settings)
    add_members(context, workspace_id_named(context, "Acme Corp"), 5_000)
    add_invoices(context, workspace_id_named(context, "Acme Corp"), 3_000)

The licenses grow with the members so rule 1 (`seats >= members + pending invitations`) holds;
no invoice is made, as if support had granted them. The invoices are small add-on purchases,
paid and numbered as the server does it, so the list and the PDFs read like real ones.
"""

from __future__ import annotations

from kaspr_tui.api.models import QuoteLine
from kaspr_tui.billing.tax import tax_amount
from kaspr_tui.server.context import ServerContext
from kaspr_tui.server.invoices import open_invoice, pay_invoice, tax_wire
from kaspr_tui.server.members import add_member
from kaspr_tui.server.store import to_db_time
from kaspr_tui.server.workspaces import (
    billing_details_of,
    default_card,
    member_counts,
    workspace_tax,
)

BULK_INVOICE_LINE = QuoteLine(description="Export credits add-on", quantity=100, unit_amount=2, amount=200)


def workspace_id_named(context: ServerContext, name: str) -> str:
    with context.transaction() as tx:
        row = tx.one("SELECT id FROM workspaces WHERE name = ?", (name,))
    if row is None:
        raise LookupError(f"no workspace named {name!r}")
    return row["id"]


def add_members(context: ServerContext, workspace_id: str, count: int) -> None:
    """Add `count` active members (`Member 1` … `member1.<workspace>@bulk.example`), one transaction."""
    with context.transaction() as tx:
        created = to_db_time(tx.now)
        for number in range(1, count + 1):
            user_id = tx.new_id("usr")
            email = f"member{number}.{workspace_id}@bulk.example"
            tx.run(
                "INSERT INTO users(id, email, name, created) VALUES (?, ?, ?, ?)",
                (user_id, email, f"Member {number}", created),
            )
            add_member(tx, workspace_id, user_id, "member")
        members, invited = member_counts(tx, workspace_id)
        # A change of seats makes earlier quotes stale, as any change of the subscription does.
        tx.run("UPDATE workspaces SET seats = MAX(seats, ?), version = version + 1 WHERE id = ?",
               (members + invited, workspace_id))


def add_invoices(context: ServerContext, workspace_id: str, count: int) -> None:
    """Add `count` paid invoices of one small add-on purchase each, dated now, in one transaction.

    Each takes the workspace's next number and a copy of its billing details, card and tax, as
    a checkout's invoice would.
    """
    with context.transaction() as tx:
        decision = workspace_tax(tx, workspace_id)
        subtotal = BULK_INVOICE_LINE.amount
        tax = tax_wire(decision, tax_amount(subtotal, decision))
        details, card = billing_details_of(tx, workspace_id), default_card(tx, workspace_id)
        for _ in range(count):
            invoice_id = open_invoice(
                tx, workspace_id, lines=[BULK_INVOICE_LINE], subtotal=subtotal, tax=tax,
                period_start=tx.now, period_end=tx.now, billing_details=details, payment_method=card,
            )
            pay_invoice(tx, invoice_id, actor=None)
