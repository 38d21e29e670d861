"""The rows of a `PagedTable`, fetched a page at a time from one of the API's lists (newest first).

One page of 100 at first; the next only when the cursor or the view comes near the last loaded
row; End walks the remaining pages and lands on the last row. The DataTable draws only the rows
in view, so a list of thousands costs a few requests, not thousands of widgets. The requests run
in workers of the screen or panel that owns the table (never in the widget).

A filter (the `TableFilter` line `/` opens) shows only the rows with the text in one of their
cells, ignoring case. The API lists have no search, so the filter runs here, on the loaded rows;
it first loads the pages not loaded yet (as End does), so it covers the whole list, and the note
under the table says how many rows match of how many.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rich.text import Text
from textual.widget import Widget
from textual.worker import Worker

from kaspr_tui.state import Problem
from kaspr_tui.widgets.note import Note
from kaspr_tui.widgets.paged_table import PagedTable
from kaspr_tui.widgets.table_filter import TableFilter

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


class PagedRows(Generic[Item]):
    """The rows of `table`, fetched by `fetch_page` in workers of `owner` (group `group`).

    `row_cells` makes an item's cells; `noun` names the items in the note ("members");
    `total` counts every item of the list when the owner knows it (None: unknown); `loaded` is
    called after rows are added or filtered (what the owner shows of the selection may change);
    the rows follow the text of `filter` as it is typed.
    """

    def __init__(
        self,
        owner: Widget,
        table: PagedTable,
        note: Note,
        *,
        fetch_page: FetchPage[Item],
        row_cells: Callable[[Item], tuple[Text, ...]],
        noun: str,
        group: str,
        total: Callable[[], int | None] = lambda: None,
        loaded: Callable[[], None] = lambda: None,
        filter: TableFilter | None = None,
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
        """Every loaded item by id, in the list's order (the table shows those the filter matches)."""
        self._cells: dict[str, tuple[Text, ...]] = {}
        """Each loaded item's cells by id, made once: a filter shows them again."""
        self._searched: dict[str, str] = {}
        """Each loaded item's cells' text, casefolded, by id: what the filter looks in."""
        self._filter = ""
        """The filter's text, casefolded; empty: every row is shown."""
        self.has_more = False
        self._last_loaded_id: str | None = None
        """Where the next page starts (`starting_after`)."""
        self._want_last_row = False
        self._worker: Worker[None] | None = None
        """The latest fetch: at most one runs at a time."""
        owner.watch(table, "scroll_y", self.load_more_if_view_near_end, init=False)
        table.cursor_row_changed = self.load_more_if_cursor_near_end
        if filter is not None:
            owner.watch(filter, "value", self.filter, init=False)

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
            self._load_rest_if_wanted()

    def filter(self, text: str) -> None:
        """Show only the rows with `text` in a cell, ignoring case ("": every row), the cursor kept
        on the row it was on if that row is still shown; then load the rows not loaded yet."""
        wanted = text.strip().casefold()
        if wanted == self._filter:
            return
        selected = self.selected
        self._filter = wanted
        table = self._table
        table.clear()
        self._show_rows(list(self.items.values()))
        if selected is not None and selected.id in table.rows:
            table.move_cursor(row=table.get_row_index(selected.id), animate=False)
        self.say_progress()
        self._loaded()
        if not self.loading:
            self._load_rest_if_wanted()

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
            # As many as were loaded; every row when a filter wants them all.
            items, has_more = await self._fetch(None, wanted=None if self._filter else max(len(self.items), 1))
        except Exception as error:  # shown under the table; the account banner covers retrying
            self._note.say(f"Could not load the {self._noun}: {Problem.from_error(error).detail}", error=True)
            return
        cursor_row = table.cursor_row
        table.clear()
        self.items.clear()
        self._cells.clear()
        self._searched.clear()
        self._last_loaded_id = None
        self._add_rows(items, has_more)
        if table.row_count:
            table.move_cursor(row=min(cursor_row, table.row_count - 1), animate=False)
        self._load_rest_if_wanted()

    async def _load_more(self) -> None:
        """The pages after the last row shown: one, or all of them when End asked for the last row."""
        # Walking to the end adds the rows once, at the end: the table re-measures and redraws
        # on every addition, which would cost more than the requests themselves.
        wanted = None if self._want_last_row or self._filter else PAGE_SIZE
        try:
            items, has_more = await self._fetch(self._last_loaded_id, wanted=wanted)
        except Exception as error:
            self._want_last_row = False
            self._note.say(f"Could not load more {self._noun}: {Problem.from_error(error).detail}", error=True)
            return
        self._add_rows(items, has_more)
        self._load_rest_if_wanted()

    async def _fetch(self, starting_after: str | None, *, wanted: int | None) -> tuple[list[Item], bool]:
        """Pages after `starting_after` until `wanted` rows are in (None: all); (rows, more after them)."""
        items: list[Item] = []
        has_more = True
        while has_more and (wanted is None or len(items) < wanted):
            page = await self._fetch_page(PAGE_SIZE, items[-1].id if items else starting_after)
            items.extend(page.data)
            has_more = page.has_more and bool(page.data)
            if has_more and len(items) % PROGRESS_EVERY_ROWS == 0:
                loaded = len(items) + (0 if starting_after is None else len(self.items))
                self._note.say(f"Loading {self._noun}… {self._count(loaded)}", error=False)
        return items, has_more

    def _add_rows(self, items: list[Item], has_more: bool) -> None:
        for item in items:
            self.items[item.id] = item
            self._last_loaded_id = item.id
        self.has_more = has_more
        self._show_rows(items)
        self.say_progress()
        self._loaded()

    def _show_rows(self, items: list[Item]) -> None:
        """Add the rows of `items` the filter matches (all of them without one) to the table."""
        table = self._table
        widths = [0] * len(table.columns)
        for item in items:
            cells = self._cells.get(item.id)
            if cells is None:
                cells = self._cells[item.id] = self._row_cells(item)
                self._searched[item.id] = "\t".join(cell.plain for cell in cells).casefold()
            if self._filter not in self._searched[item.id]:
                continue
            table.add_row(*cells, key=item.id)
            widths = [max(width, cell.cell_len) for width, cell in zip(widths, cells, strict=True)]
        table.widen_columns(widths)

    def say_progress(self) -> None:
        """The note: how many rows the filter matches, or how many are loaded while more are to come
        (in place of what the owner said there, such as a refusal now out of date)."""
        if self._filter:
            matched = self._table.row_count
            loaded = f"{len(self.items):,} {self._noun}" + (" loaded so far" if self.has_more else "")
            matches = f"{matched:,} of {loaded}" if matched else f"no match among {loaded} · Esc clears"
            self._note.say(f"Filter: {matches}", error=False)
        elif self.has_more:
            self._note.say(f"{self._count(self._table.row_count)} shown · more as you scroll · End: the last")
        else:
            self._note.say("", error=False)

    def _count(self, loaded: int) -> str:
        total = self._total()
        return f"{loaded:,}" if total is None else f"{loaded:,} of {total:,}"

    def _load_rest_if_wanted(self) -> None:
        """Fetch the pages left if End or a filter wants every row; once they are in, land on the
        last row if End asked for it."""
        if self.has_more and (self._want_last_row or self._filter):
            self._run(self._load_more())
            return
        if self._want_last_row:
            self._want_last_row = False
            if self._table.row_count:
                self._table.move_cursor(row=self._table.row_count - 1, animate=False)
