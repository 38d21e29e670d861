"""Which year's paid invoices to save: four digits, this year or the newest invoice's by default."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.widgets.forms.field_input import FieldInput
from kaspr_tui.widgets.words import Words


class YearScreen(Dialog[int | None]):
    """Which year's invoices to save; dismisses with the year, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="year.cancel")]

    def __init__(self, default_year: int) -> None:
        super().__init__()
        self.default_year = default_year

    def compose(self) -> ComposeResult:
        with Vertical(id="year-dialog", classes="dialog"):
            yield Words("Save every paid invoice issued in the year:", id="year-question")
            yield FieldInput(str(self.default_year), id="invoice-year", type="integer", max_length=4, compact=True)
            yield Words(id="year-error", classes="error-line")
            with Horizontal(id="year-buttons", classes="dialog-buttons"):
                yield Button("Cancel", id="year-cancel", compact=True, action="screen.cancel")
                yield Button("Download", id="year-download", compact=True, variant="primary", action="screen.submit")

    def on_mount(self) -> None:
        self.query_one("#year-dialog").border_title = "Download all invoices of a year"
        self.query_one("#invoice-year", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        text = self.query_one("#invoice-year", Input).value.strip()
        if len(text) != 4 or not text.isdigit():
            self.query_one("#year-error", Words).update("Enter a year of four digits, like 2026.")
            return
        self.dismiss(int(text))

    def action_cancel(self) -> None:
        self.dismiss(None)
