"""`TableFilter`: the line `/` opens above a table (k9s's habit); what is typed narrows its rows.

It holds the text only (`value`); the table's owner narrows the rows (`PagedRows.filter`). Enter
goes back to the table and keeps the filter, shown; Escape clears it, hides the line and goes back.
Typed keys stay in the line: a letter or a `/` here never fires a page's shortcut.
"""

from __future__ import annotations

from textual.binding import Binding

from kaspr_tui.widgets.forms.field_input import FieldInput

PLACEHOLDER = "Filter: type to narrow the rows · Enter: back to the table · Esc: clear"


class TableFilter(FieldInput):
    DEFAULT_CSS = """
    TableFilter { display: none; }
    """
    BINDINGS = [Binding("escape", "clear", "Clear the filter", id="filter.clear")]

    def __init__(self, table_id: str, *, id: str | None = None) -> None:
        """`table_id`: the id of the table it filters, which gets the focus back."""
        super().__init__(placeholder=PLACEHOLDER, id=id, compact=True, max_length=100)
        self.table_id = table_id

    def open(self) -> None:
        self.display = True
        self.focus()

    def action_clear(self) -> None:
        self.value = ""
        self.display = False
        self._back_to_table()

    async def action_submit(self) -> None:
        await super().action_submit()
        self.display = bool(self.value)
        self._back_to_table()

    def _back_to_table(self) -> None:
        self.screen.query_one(f"#{self.table_id}").focus()
