"""A table filled a page at a time from one of the API's lists (newest first).

One page of 100 at first; the next only when the cursor or the view comes near the last loaded
row; End walks the remaining pages and lands on the last row. The DataTable draws only the rows
in view, so a list of thousands costs a few requests, not thousands of widgets.

The requests run in workers of the screen or panel that owns the table (never in the widget):
`PagedRows` is that owner's helper, the table only says when End asks for the last row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey
from textual.worker import Worker

from kaspr_tui.state import Problem

if TYPE_CHECKING:
    from kaspr_tui.api.models import ListResponse

PAGE_SIZE = 100
"""The API's largest page."""
LOAD_AHEAD_ROWS = 30
"""Fetch the next page once the cursor or the view comes this close to the last loaded row:
more than a tall terminal's page, so PageDown rarely reaches the end before the rows arrive."""
PROGRESS_EVERY_ROWS = 1_000
"""While End walks the pages, say how many are in this often: redrawing the note after every
page would cost more than the requests."""


class Listed(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=Listed)

if TYPE_CHECKING:  # a pydantic generic cannot be made of a Protocol-bound variable at run time
    FetchPage = Callable[[int, str | None], Awaitable[ListResponse[Item]]]
    """`fetch_page(limit, starting_after)`: one page of the list."""


class PlainCell(Text):
    """A cell's plain text, which the table does not measure: `PagedRows` widens the columns.

    DataTable measures every new cell through Rich, about 0.1 ms each: 0.3 s for 3,000 rows of
    5 columns, most of the wait for End. It skips a renderable that cannot be measured, and the
    width of plain text is simply its `cell_len`.
    """

    __rich_measure__ = None  # type: ignore[assignment]


def plain_cells(*cells: str) -> tuple[PlainCell, ...]:
    """A row's cells as plain text: a name is never read as markup (`[b]Eve`), and the table
    skips parsing and measuring it, which counts with thousands of rows."""
    return tuple(PlainCell(cell, no_wrap=True, end="") for cell in cells)


def show_note(note: Static, text: str, *, error: bool = False) -> None:
    """The line under a table or a form: progress, a result, or (`error`) what went wrong; hidden when there
    is nothing to say."""
    note.update(text)
    note.set_class(error, "-error")
    note.display = bool(text)


class PagedTable(DataTable[Text]):
    """End and Home go to the last and first row, not column; End asks for the rows not loaded yet."""

    BINDINGS = [
        Binding("end,ctrl+end", "last_row", "Last", show=False),
        Binding("home,ctrl+home", "scroll_top", "First", show=False),
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

    def _on_data_table_row_highlighted(self) -> None:
        # Not a watcher of `cursor_coordinate`: DataTable sets it on every row it adds, so a
        # watcher ran 5,000 times while End added 5,000 rows (a third of the time adding them).
        if self.cursor_row_changed is not None:
            self.cursor_row_changed()

    def widen_columns(self, widths: list[int]) -> None:
        """Make each column at least as wide as given (the cells' widths, which it did not measure)."""
        for column, width in zip(self.ordered_columns, widths):
            column.content_width = max(column.content_width, width)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable goes through every new row here, building its cells' renderables to measure
        # them (~20 µs a row, 0.1 s of End's 5,000). `PagedRows` widens the columns itself and
        # adds rows of height 1 without labels, so there is nothing to learn from them: only the
        # table's size is brought up to date (textual is pinned; this is its private hook).
        super()._update_dimensions(())


class PagedRows(Generic[Item]):
    """The rows of `table`, fetched by `fetch_page` in workers of `owner` (group `group`).

    `row_cells` makes an item's cells; `noun` names the items in the note ("members");
    `total` counts every item of the list when the owner knows it (None: unknown); `loaded` is
    called after rows are added (what the owner shows of the selection may change).
    """

    def __init__(
        self,
        owner: Widget,
        table: PagedTable,
        note: Static,
        *,
        fetch_page: FetchPage[Item],
        row_cells: Callable[[Item], tuple[Text, ...]],
        noun: str,
        group: str,
        total: Callable[[], int | None] = lambda: None,
        loaded: Callable[[], None] = lambda: None,
    ) -> None:
        self._owner = owner
        self._table = table
        self._note = note
        self._fetch_page = fetch_page
        self._row_cells = row_cells
        self._noun = noun
        self._group = group
        self._total = total
        self._loaded = loaded
        self.items: dict[str, Item] = {}
        """Every loaded item by id, in the table's order."""
        self.has_more = False
        self._last_loaded_id: str | None = None
        """Where the next page starts (`starting_after`)."""
        self._want_last_row = False
        self._worker: Worker[None] | None = None
        """The latest fetch: at most one runs at a time."""
        owner.watch(table, "scroll_y", self.load_more_if_view_near_end, init=False)
        table.cursor_row_changed = self.load_more_if_cursor_near_end

    @property
    def selected(self) -> Item | None:
        table = self._table
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.items.get(str(row_key.value))

    @property
    def loading(self) -> bool:
        # Asked on every cursor move and every row added: the latest worker, not a search of all.
        return self._worker is not None and not self._worker.is_finished

    def _run(self, work: Coroutine[None, None, None], *, exclusive: bool = False) -> None:
        self._worker = self._owner.run_worker(work, group=self._group, exclusive=exclusive, exit_on_error=False)

    def reload(self) -> None:
        """The list from its first page, as many rows as were shown, the cursor where it was."""
        self._run(self._reload(), exclusive=True)

    def go_to_last_row(self) -> None:
        self._want_last_row = True
        if not self.loading:
            self._continue_to_last_row()

    def load_more_if_cursor_near_end(self) -> None:
        table = self._table
        self._load_more_if(table.cursor_row >= table.row_count - LOAD_AHEAD_ROWS)

    def load_more_if_view_near_end(self, *_: object) -> None:
        table = self._table
        view_bottom = table.scroll_y + table.scrollable_content_region.height
        self._load_more_if(view_bottom >= table.virtual_size.height - LOAD_AHEAD_ROWS)

    def _load_more_if(self, near_end: bool) -> None:
        if near_end and self.has_more and not self.loading:
            self._run(self._load_more())

    async def _reload(self) -> None:
        table = self._table
        try:
            items, has_more = await self._fetch(None, wanted=max(table.row_count, 1))
        except Exception as error:  # shown under the table; the account banner covers retrying
            show_note(self._note, f"Could not load the {self._noun}: {Problem.from_error(error).detail}", error=True)
            return
        cursor_row = table.cursor_row
        table.clear()
        self.items.clear()
        self._last_loaded_id = None
        self._add_rows(items, has_more)
        if table.row_count:
            table.move_cursor(row=min(cursor_row, table.row_count - 1), animate=False)
        self._continue_to_last_row()

    async def _load_more(self) -> None:
        """The pages after the last row shown: one, or all of them when End asked for the last row."""
        # Walking to the end adds the rows once, at the end: the table re-measures and redraws
        # on every addition, which would cost more than the requests themselves.
        wanted = None if self._want_last_row else PAGE_SIZE
        try:
            items, has_more = await self._fetch(self._last_loaded_id, wanted=wanted)
        except Exception as error:
            self._want_last_row = False
            show_note(self._note, f"Could not load more {self._noun}: {Problem.from_error(error).detail}", error=True)
            return
        self._add_rows(items, has_more)
        self._continue_to_last_row()

    async def _fetch(self, starting_after: str | None, *, wanted: int | None) -> tuple[list[Item], bool]:
        """Pages after `starting_after` until `wanted` rows are in (None: all); (rows, more after them)."""
        items: list[Item] = []
        has_more = True
        while has_more and (wanted is None or len(items) < wanted):
            page = await self._fetch_page(PAGE_SIZE, items[-1].id if items else starting_after)
            items.extend(page.data)
            has_more = page.has_more and bool(page.data)
            if has_more and len(items) % PROGRESS_EVERY_ROWS == 0:
                loaded = len(items) + (0 if starting_after is None else self._table.row_count)
                show_note(self._note, f"Loading {self._noun}… {self._count(loaded)}", error=False)
        return items, has_more

    def _add_rows(self, items: list[Item], has_more: bool) -> None:
        table = self._table
        widths = [0] * len(table.columns)
        for item in items:
            self.items[item.id] = item
            cells = self._row_cells(item)
            table.add_row(*cells, key=item.id)
            widths = [max(width, cell.cell_len) for width, cell in zip(widths, cells)]
            self._last_loaded_id = item.id
        table.widen_columns(widths)
        self.has_more = has_more
        if has_more:
            shown = f"{self._count(table.row_count)} shown · more as you scroll · End: the last"
            show_note(self._note, shown, error=False)
        else:
            show_note(self._note, "", error=False)
        self._loaded()

    def _count(self, loaded: int) -> str:
        total = self._total()
        return f"{loaded:,}" if total is None else f"{loaded:,} of {total:,}"

    def _continue_to_last_row(self) -> None:
        """Land on the last row once every page is in; fetch the rest first if End asked for it."""
        if not self._want_last_row:
            return
        if self.has_more:
            self._run(self._load_more())
            return
        self._want_last_row = False
        self._table.move_cursor(row=self._table.row_count - 1, animate=False)
