"""One invoice, read in the terminal as it was issued: number, status, period, who it was billed to
(the billing details and VAT number of the day), every line, subtotal, VAT and total. `d` saves
its PDF; Escape closes.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button

from kaspr_tui.api.models import Invoice, InvoiceSummary
from kaspr_tui.billing.formatting import format_card, format_count, format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.words import vat_label
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.screens.dialogs.billing_details import billing_details_section
from kaspr_tui.screens.dialogs.saved import DOWNLOAD_GROUP, download_and_show
from kaspr_tui.state import Problem, app_host
from kaspr_tui.widgets.words import Words

REVERSE_CHARGE_MENTION = "VAT reverse charge — Article 196, Council Directive 2006/112/EC"
"""What an EU invoice without VAT to a business in another member state must state."""


def invoice_title(invoice: InvoiceSummary) -> str:
    return f"Invoice {invoice.number}" if invoice.number else "Invoice (not numbered: unpaid)"


def period_words(invoice: InvoiceSummary) -> str:
    """`17 Aug 2026 – 17 Aug 2027`."""
    return f"{format_date(invoice.period_start)} – {format_date(invoice.period_end)}"


def status_words(invoice: Invoice) -> Content:
    if invoice.status == "paid":
        paid = f"Paid on {format_date(invoice.paid_at or invoice.created)}"
        card = invoice.payment_method
        return Content.styled(f"{paid} with {format_card(card.brand, card.last4)}" if card else paid, "$text-success")
    if invoice.status == "void":
        return Content.styled("Void: its payment failed, nothing is owed", "$text-warning")
    return Content.styled("Open: waiting for its payment", "$text-warning")


def invoice_header(invoice: Invoice) -> Content:
    rows = [
        ("Number", Content(invoice.number or "—")),
        ("Status", status_words(invoice)),
        ("Issued", Content(format_date(invoice.created))),
        ("Period", Content(period_words(invoice))),
        ("Account", Content(invoice.workspace_name)),
    ]
    return Content("\n").join(Content.assemble((f"{label:<10}", "$text-muted"), value) for label, value in rows)


def invoice_lines(invoice: Invoice) -> Group:
    """Every line, then subtotal, VAT as charged, and the total."""
    money = lambda cents: format_money(cents, invoice.currency)  # noqa: E731 — one currency per invoice
    lines = Table(box=None, pad_edge=False, expand=True, header_style="bold")
    lines.add_column("Description", ratio=1, overflow="fold")
    lines.add_column("Qty", justify="right", no_wrap=True)
    lines.add_column("Unit price", justify="right", no_wrap=True)
    lines.add_column("Amount", justify="right", no_wrap=True)
    for line in invoice.lines:
        lines.add_row(line.description, format_count(line.quantity), money(line.unit_amount), money(line.amount))
    totals = Table(box=None, pad_edge=False, expand=True, show_header=False)
    totals.add_column("What", ratio=1, overflow="fold")
    totals.add_column("Amount", justify="right", no_wrap=True)
    totals.add_row(Text("Subtotal", style="dim"), money(invoice.subtotal))
    vat = vat_label(invoice.tax.rate_percent, invoice.tax.reverse_charge)
    totals.add_row(Text(vat, style="dim"), money(invoice.tax.amount))
    totals.add_row(Text("Total", style="bold"), Text(money(invoice.total), style="bold"))
    parts: list[Table | Text] = [lines, Text(""), totals]
    if invoice.tax.reverse_charge:
        parts.append(Text(REVERSE_CHARGE_MENTION, style="italic"))
    return Group(*parts)


class InvoiceScreen(Dialog[None]):
    """The invoice `summary` names, fetched in full when the dialog opens."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="invoice.close"),
        Binding("d", "download", "Download PDF", id="invoice.download"),
    ]
    CLICK_OUTSIDE = "close"

    def __init__(self, summary: InvoiceSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(id="invoice-dialog", classes="dialog"):
            with VerticalScroll(id="invoice-scroll"):
                yield Words("Loading the invoice…", id="invoice-header")
                with Horizontal(id="invoice-billed-to-row"):
                    yield Words("Billed to", id="invoice-billed-to-label")
                    yield Words(id="invoice-billed-to")
                yield Words(id="invoice-lines")
                yield Words(id="invoice-error", classes="error-line", markup=False)
            with Horizontal(id="invoice-buttons", classes="dialog-buttons"):
                yield Button("Download PDF", id="invoice-download", compact=True, action="screen.download")
                yield Button("Close", id="invoice-close", compact=True, variant="primary", action="screen.close")

    def on_mount(self) -> None:
        self.query_one("#invoice-dialog").border_title = invoice_title(self.summary)
        self.query_one("#invoice-dialog").border_subtitle = "d PDF · Esc close"
        for widget_id in ("#invoice-billed-to-row", "#invoice-lines", "#invoice-error"):
            self.query_one(widget_id).display = False
        self.query_one("#invoice-scroll").focus()
        self.load_invoice()

    @work(exclusive=True, group="invoice", exit_on_error=False)
    async def load_invoice(self) -> None:
        client = app_host(self.app).client
        if client is None:
            return
        try:
            invoice = await client.invoice(self.summary.id)
        except Exception as error:  # the reason in the dialog, never a crash
            self.query_one("#invoice-header", Words).update(invoice_title(self.summary))
            error_line = self.query_one("#invoice-error", Words)
            error_line.update(f"Could not load the invoice: {Problem.from_error(error).detail}")
            error_line.display = True
            return
        self.show_invoice(invoice)

    def show_invoice(self, invoice: Invoice) -> None:
        self.query_one("#invoice-header", Words).update(invoice_header(invoice))
        # The invoice's own copy: the details and VAT number of the day it was issued.
        self.query_one("#invoice-billed-to", Words).update(billing_details_section(invoice.billing_details))
        self.query_one("#invoice-billed-to-row").display = True
        lines = self.query_one("#invoice-lines", Words)
        lines.update(invoice_lines(invoice))
        lines.display = True

    def action_download(self) -> None:
        what = self.summary.number or self.summary.id
        self.run_worker(
            download_and_show(self.app, [self.summary], what=what), group=DOWNLOAD_GROUP, exit_on_error=False
        )

    def action_close(self) -> None:
        self.dismiss(None)
