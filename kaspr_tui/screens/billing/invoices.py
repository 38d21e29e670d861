"""The Invoices section of Plan & Billing: every invoice, opened in the terminal or saved as a PDF.

The table (`#invoices`) lists the bills, the paid invoices (`GET /v1/invoices?status=paid`), newest
first, a page at a time (more as the user scrolls; End walks to the oldest). A failed payment
attempt leaves a void invoice without a number on the server: it is not a bill, so, as billing
portals do, it is not listed (the payment dialog said why it failed when it did). Enter opens
one (`InvoiceScreen`), `d` saves its PDF, `y` saves every paid invoice of a year, `/` filters the
rows (`TableFilter`). `open_invoices`, `filter_invoices` and `download_latest_invoice` are the command
palette's ways in.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, DataTable, TabbedContent

from kaspr_tui.api.models import InvoiceSummary, ListResponse
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.downloads import paid_invoices_of_year
from kaspr_tui.screens.base import AccountPanel
from kaspr_tui.screens.dialogs.invoice import InvoiceScreen
from kaspr_tui.screens.dialogs.invoice_year import YearScreen
from kaspr_tui.screens.dialogs.saved import DOWNLOAD_GROUP, download_and_show
from kaspr_tui.screens.paged_rows import PagedRows
from kaspr_tui.state import AccountState, Problem, app_host
from kaspr_tui.widgets.note import Note
from kaspr_tui.widgets.paged_table import PagedTable, plain_cells
from kaspr_tui.widgets.table_filter import TableFilter

COLUMNS = ("Number", "Date", "Period", "Total", "Status")


def invoice_row(invoice: InvoiceSummary) -> tuple[Text, ...]:
    row = plain_cells(
        invoice.number or "—",
        format_date(invoice.created),
        # No spaces around the dash: the five columns then fit 80 columns.
        f"{format_date(invoice.period_start)}–{format_date(invoice.period_end)}",
        format_money(invoice.total, invoice.currency),
        invoice.status,
    )
    row[3].justify = "right"
    return row


class InvoicesPanel(AccountPanel):
    """A table of the workspace's invoices (`#invoices`), paginated from the API."""

    BINDINGS = [
        Binding("d", "download", "Download PDF", id="invoices.download"),
        Binding("y", "download_year", "Year's PDFs", id="invoices.download_year"),
        Binding("slash", "filter", "Filter", show=False, id="invoices.filter"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._loaded_for: datetime | None = None
        """The account load the list was fetched for."""
        self._account_loaded_at: datetime | None = None
        """The latest account load: a newer one than the list's means the list may be out of date."""

    def compose(self) -> ComposeResult:
        yield TableFilter("invoices", id="invoices-filter")
        table = PagedTable(id="invoices", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Note(id="invoices-note", classes="table-note")
        with Horizontal(id="invoices-actions"):
            yield Button("Download PDF", id="invoice-download-selected", compact=True)
            yield Button("Download all of a year", id="invoices-download-year", compact=True)

    def on_mount(self) -> None:
        self.border_subtitle = "Enter open · d PDF · y a year's PDFs · End oldest"
        self.query_one("#invoices-note").display = False
        self.rows: PagedRows[InvoiceSummary] = PagedRows(
            self,
            self.query_one("#invoices", PagedTable),
            self.query_one("#invoices-note", Note),
            fetch_page=self._fetch_page,
            row_cells=invoice_row,
            noun="invoices",
            group="invoices",
            filter=self.query_one("#invoices-filter", TableFilter),
        )

    def action_filter(self) -> None:
        self.query_one("#invoices-filter", TableFilter).open()

    def _fetch_page(self, limit: int, starting_after: str | None) -> Awaitable[ListResponse[InvoiceSummary]]:
        client = app_host(self.app).client
        assert client is not None  # the account was loaded through it
        return client.invoices(limit=limit, starting_after=starting_after, status="paid")

    def show_account(self, state: AccountState) -> None:
        """A new load of the account (first load, `r`, after a purchase) reloads the list too."""
        if state.is_admin:
            self._account_loaded_at = state.loaded_at
            self.load_if_shown()

    def on_show(self) -> None:
        self.load_if_shown()

    def load_if_shown(self) -> None:
        # Not while Billing shows its Upgrade tab: changing plan costs no invoice requests. Shown is
        # displayed with every container up to the screen (the tab's pane is the one hidden), not
        # `is_on_screen`: on a page just opened nothing is laid out yet, and the table stayed empty.
        shown = all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))
        if self._account_loaded_at != self._loaded_for and shown:
            self._loaded_for = self._account_loaded_at
            self.rows.reload()

    @on(PagedTable.LastRowWanted, "#invoices")
    def _last_row_wanted(self) -> None:
        self.rows.go_to_last_row()

    @on(DataTable.RowSelected, "#invoices")
    def _open_selected(self) -> None:
        invoice = self.rows.selected
        if invoice is not None:
            self.app.push_screen(InvoiceScreen(invoice))

    @on(Button.Pressed, "#invoice-download-selected")
    def action_download(self) -> None:
        invoice = self.rows.selected
        if invoice is not None:
            self.run_worker(
                download_and_show(self.app, [invoice], what=invoice.number or invoice.id),
                group=DOWNLOAD_GROUP,
                exit_on_error=False,
            )

    @on(Button.Pressed, "#invoices-download-year")
    def action_download_year(self) -> None:
        latest = next(iter(self.rows.items.values()), None)
        default_year = (latest.created if latest else datetime.now()).year
        self.app.push_screen(YearScreen(default_year), callback=self._year_chosen)

    def _year_chosen(self, year: int | None) -> None:
        if year is not None:
            self.run_worker(download_year(self.app, year), group=DOWNLOAD_GROUP, exit_on_error=False)


async def download_year(app: App[object], year: int) -> None:
    """Save every paid invoice of `year`. Run it in a worker: it fetches."""
    client = app_host(app).client
    if client is None:
        return
    try:
        invoices = await paid_invoices_of_year(client, year)
    except Exception as error:
        app.notify(Problem.from_error(error).detail, title="Could not list the invoices", severity="error", timeout=15)
        return
    if not invoices:
        app.notify(f"No paid invoice was issued in {year}.", title="Nothing to download", severity="warning")
        return
    await download_and_show(app, invoices, what=str(year))


# ---- the command palette's ways in ------------------------------------------------------------


async def open_invoices(app: App[object]) -> None:
    """"Invoices": Billing, the Plan & Billing tab, the cursor in the invoices table."""
    await app.switch_mode("billing")
    app.screen.query_one("#billing-tabs", TabbedContent).active = "plan-billing"
    table = app.screen.query_one("#invoices", PagedTable)
    table.focus()
    # The whole section, not only the table: the line under it says how much is loaded.
    app.call_after_refresh(app.screen.query_one(InvoicesPanel).scroll_visible, animate=False)


async def filter_invoices(app: App[object]) -> None:
    """"Filter invoices": the invoices as "Invoices" shows them, the filter open to type in."""
    await open_invoices(app)
    app.screen.query_one(InvoicesPanel).action_filter()


def download_latest_invoice(app: App[object]) -> None:
    """"Download latest invoice": the newest paid invoice's PDF, saved in a worker of the app."""
    app.run_worker(_download_latest(app), group=DOWNLOAD_GROUP, exit_on_error=False)


async def _download_latest(app: App[object]) -> None:
    client = app_host(app).client
    if client is None:
        return
    try:
        latest = None
        async for invoice in client.iter_invoices(page_size=20):
            if invoice.status == "paid":
                latest = invoice
                break
    except Exception as error:
        app.notify(Problem.from_error(error).detail, title="Could not list the invoices", severity="error", timeout=15)
        return
    if latest is None:
        app.notify("There is no paid invoice yet.", title="Nothing to download", severity="warning")
        return
    await download_and_show(app, [latest], what=latest.number or latest.id)
