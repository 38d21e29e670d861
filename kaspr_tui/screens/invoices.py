"""The Invoices section of Plan & Billing: every invoice, opened in the terminal or saved as a PDF."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable

from kaspr_tui.screens.account import AccountState
from kaspr_tui.screens.base import AccountPanel


class InvoicesPanel(AccountPanel):
    """A table of the workspace's invoices (`#invoices`), paginated from the API."""

    DEFAULT_CSS = """
    InvoicesPanel { #invoices { height: 12; } }
    """

    def compose(self) -> ComposeResult:
        yield DataTable(id="invoices", cursor_type="row")

    def show_account(self, state: AccountState) -> None:
        """Invoices are fetched by the panel itself, a page at a time."""
