"""`PagedTable`: a table of an API list's rows (newest first), filled a page at a time by its owner.

End and Home go to the last and first row; End asks its owner for the rows not loaded yet
(`LastRowWanted`). The table fetches nothing: the screen or panel that owns it does, in its workers
(`kaspr_tui.screens.paged_rows`). Its cells are `PlainCell`s, which it does not measure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class PlainCell(Text):
    """A cell's plain text, which the table does not measure: its owner widens the columns (`widen_columns`).

    DataTable measures every new cell through Rich, about 0.1 ms each: 0.3 s for 3,000 rows of
    5 columns, most of the wait for End. It skips a renderable that cannot be measured, and the
    width of plain text is simply its `cell_len`.
    """

    __rich_measure__ = None  # type: ignore[assignment]


def plain_cells(*cells: str) -> tuple[PlainCell, ...]:
    """A row's cells as plain text: a name is never read as markup (`[b]Eve`), and the table
    skips parsing and measuring it, which counts with thousands of rows."""
    return tuple(PlainCell(cell, no_wrap=True, end="") for cell in cells)


class PagedTable(DataTable[Text]):
    """End and Home go to the last and first row, not column; End asks for the rows not loaded yet."""

    BINDINGS = [
        Binding("end,ctrl+end", "last_row", "Last", show=False, id="table.last_row"),
        Binding("home,ctrl+home", "scroll_top", "First", show=False, id="table.first_row"),
    ]

    class LastRowWanted(Message):
        """End was pressed: the owner loads every page left, then the cursor goes to the last row."""

        def __init__(self, table: PagedTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> PagedTable:
            return self.table

    cursor_row_changed: Callable[[], None] | None = None
    """Called when the cursor moves to another row (`PagedRows` loads the next page near the end)."""

    def action_last_row(self) -> None:
        self.post_message(self.LastRowWanted(self))

    def on_data_table_row_highlighted(self) -> None:
        # Not a watcher of `cursor_coordinate`: DataTable sets it on every row it adds, so a
        # watcher ran 5,000 times while End added 5,000 rows (a third of the time adding them).
        if self.cursor_row_changed is not None:
            self.cursor_row_changed()

    def widen_columns(self, widths: list[int]) -> None:
        """Make each column at least as wide as given (the cells' widths, which it did not measure)."""
        for column, width in zip(self.ordered_columns, widths, strict=True):
            column.content_width = max(column.content_width, width)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable goes through every new row here, building its cells' renderables to measure
        # them (~20 µs a row, 0.1 s of End's 5,000). `PagedRows` widens the columns itself and
        # adds rows of height 1 without labels, so there is nothing to learn from them: only the
        # table's size is brought up to date (textual is pinned; this is its private hook).
        super()._update_dimensions(())
