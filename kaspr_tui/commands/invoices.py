"""`kaspr-tui invoices [list] [--year Y] [--all]`, `invoices download (ID | --latest | --year Y) [--dir D]`.

The list holds the bills (paid invoices), as the app's Invoices table does: a failed payment
attempt is kept by the server as a void invoice without a number, and is not a bill; `--all`
lists those too, each saying why its payment failed. PDFs are saved as `downloads.py` saves
them for the TUI: into the download folder (or `--dir`), named by the invoice's number,
atomically, never over an existing file. The saved
paths are printed one per line; `--json` prints `[InvoiceSummary, …]` for the list and
`[{"id", "number", "path"}, …]` for a download.
"""

from __future__ import annotations

import re

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import InvoiceStatus, InvoiceSummary
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.commands.runtime import CommandError, Context, Exit, table
from kaspr_tui.downloads import downloads_folder, paid_invoices_of_year, save_invoice_pdfs

INVOICE_NUMBER = re.compile(r"[A-Z0-9]+-\d{4}-\d{6}")


async def show(context: Context) -> Exit:
    # `invoices` alone takes no options: it lists as `invoices list` does by default.
    year: int | None = getattr(context.args, "year", None)
    status: InvoiceStatus | None = None if getattr(context.args, "all", False) else "paid"
    async with context.session() as client:
        invoices = [
            invoice async for invoice in client.iter_invoices(status=status)
            if year is None or invoice.created.year == year
        ]
    if context.args.json:
        context.out.data(invoices)
        return Exit.OK
    if not invoices:
        context.out.note(f"No invoices issued in {year}." if year else "No invoices yet.")
        return Exit.OK
    rows = [
        (
            invoice.number or invoice.id,
            format_date(invoice.created),
            format_money(invoice.total, invoice.currency),
            status_words(invoice),
            f"{format_date(invoice.period_start)} to {format_date(invoice.period_end)}",
            invoice.id,
        )
        for invoice in invoices
    ]
    for line in table(("Number", "Issued", "Total", "Status", "Period", "Id"), rows, right=(2,)):
        context.out.say(line)
    return Exit.OK


def status_words(invoice: InvoiceSummary) -> str:
    """`paid`, or `failed: card_declined` for a failed payment attempt."""
    if invoice.payment_error is not None:
        return f"failed: {invoice.payment_error.code}"
    return invoice.status


async def find_invoice(client: BillingClient, wanted: str) -> InvoiceSummary:
    """An invoice by its number (`ACME-2026-000001`) or id (`in_…`), or exit code 5."""
    if INVOICE_NUMBER.fullmatch(wanted):
        async for invoice in client.iter_invoices():
            if invoice.number == wanted:
                return invoice
    else:
        try:
            return await client.invoice(wanted)
        except ApiError as error:
            if error.status != 404:
                raise
    raise CommandError(f"No invoice {wanted} in this workspace: see `kaspr-tui invoices list`.", Exit.NOT_FOUND)


async def download(context: Context) -> Exit:
    args = context.args
    folder = args.dir.expanduser() if args.dir else downloads_folder(context.settings)
    async with context.session() as client:
        if args.id is not None:
            invoices = [await find_invoice(client, args.id.strip())]
        elif args.latest:
            invoices = [await latest_paid(client)]
        else:
            invoices = await paid_invoices_of_year(client, args.year)
            if not invoices:
                raise CommandError(f"No paid invoice was issued in {args.year}.", Exit.NOT_FOUND)
        try:
            saved = await save_invoice_pdfs(client, invoices, folder)
        except OSError as error:
            raise CommandError(f"Could not save into {folder}: {error.strerror or error}") from None
    if args.json:
        context.out.data(
            [
                {"id": invoice.id, "number": invoice.number, "path": str(file.path)}
                for invoice, file in zip(invoices, saved, strict=True)
            ]
        )
    for file in saved:
        if file.renamed:
            context.out.note(f"{file.label}.pdf was already there: saved beside it as {file.path.name}.")
        if not args.json:
            context.out.say(str(file.path))
    return Exit.OK


async def latest_paid(client: BillingClient) -> InvoiceSummary:
    """The newest paid invoice, reading no further pages than it takes; or exit code 5."""
    async for invoice in client.iter_invoices(status="paid"):
        return invoice
    raise CommandError("There is no paid invoice yet.", Exit.NOT_FOUND)
