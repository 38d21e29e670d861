"""Textual's private API the project relies on (textual is pinned): each hook has a test here that
fails loudly, naming the hook, when an upgrade changes it. Everything else uses public API.

- `DataTable._update_dimensions(new_rows)`: PagedTable overrides it so that adding thousands of rows
  does not measure each (kaspr_tui/widgets/paged_table.py).
- `textual.render.measure` honouring `__rich_measure__ = None`: PlainCell is not measured.
- `Screen.active_bindings`: WorkspaceScreen leaves its own mode's key out of the footer.
- `App._exception`: the command line reports the error an app stopped on (kaspr_tui/cli.py).
- `App._css_update_count` and `Screen._css_update_count`: a page new to its mode starts as up to
  date as the app's CSS, so opening it does not parse every stylesheet again (screens/base.py).
- `Footer._bindings_ready`: KeysFooter overrides `Footer.bindings_changed` to recompose once
  per refresh, and must set the flag Textual's `Footer.compose` waits for (widgets/footer.py); it
  skips the rebuild when what `Footer.compose` reads of the bindings is unchanged
  (tests/widgets/test_keys_footer.py fails if a change it no longer sees is not shown).
- `DOMNode._merge_bindings()`: the keymap and the Keys screen read every binding of a class and its
  bases from it (keymap.py, screens/dialogs/keys.py).
- `ToggleButton._button`: TickBox and Radio draw their mark through it, blank while off
  (widgets/toggles.py).
- In the tests: `Screen._compositor` (tests.helpers.screen.screen_text), `App._notifications`
  (tests.helpers.screen.notices), `Input._toggle_cursor` and
  `Button._start_active_affect` (tests/snapshots/conftest.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable

import httpx
import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.css.stylesheet import Stylesheet
from textual.render import measure
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Static
from textual.widgets.data_table import RowKey

from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.widgets.footer import KeysFooter
from kaspr_tui.widgets.paged_table import PagedTable, plain_cells
from kaspr_tui.widgets.toggles import TickBox
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.screen import notices, screen_text


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedTable(id="table")


async def test_datatable_still_brings_its_dimensions_up_to_date_through__update_dimensions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert list(inspect.signature(DataTable._update_dimensions).parameters) == ["self", "new_rows"]
    calls: list[object] = []
    override = PagedTable._update_dimensions

    def spied(self: PagedTable, new_rows: Iterable[RowKey]) -> None:
        calls.append(new_rows)
        override(self, new_rows)

    monkeypatch.setattr(PagedTable, "_update_dimensions", spied)
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(PagedTable)
        table.add_columns("Name", "Email")
        rows = [plain_cells(f"Member {n}", f"m{n}@acme.example") for n in range(50)]
        for n, cells in enumerate(rows):
            table.add_row(*cells, key=str(n))
        widths = [max(row[column].cell_len for row in rows) for column in (0, 1)]
        table.widen_columns(widths)
        await pilot.pause()
        # The override skips measuring the rows; the table's size must still follow them.
        assert table.virtual_size.height == 1 + 50  # the header and one line a row
        assert [column.content_width for column in table.ordered_columns] == widths
    assert calls, "DataTable no longer calls _update_dimensions: PagedTable's override does nothing"


def test_a_plain_cell_is_not_measured() -> None:
    assert measure(Console(), plain_cells("Alice Martin")[0], 1) == 1


async def test_the_footer_reads_the_screens_active_bindings(live_server: LiveServer, admin: httpx.Client) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_page(pilot, "w")
        footer = screen_text(app).splitlines()[-1]
        assert "Dashboard" in footer and "Workspace" not in footer


class Boom(App[None]):
    def on_mount(self) -> None:
        raise RuntimeError("boom")


def test_an_app_keeps_the_error_it_stopped_on_in__exception() -> None:
    app = Boom()
    app.run(headless=True)
    assert isinstance(app._exception, RuntimeError)


class OneInput(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello", id="hello")
        yield Input(id="field")


async def test_the_private_parts_the_tests_read_are_still_there() -> None:
    app = OneInput()
    async with app.run_test(size=(30, 10)) as pilot:
        app.notify("Saved")
        await pilot.pause()
        assert screen_text(app).splitlines()[0].startswith("Hello")  # Screen._compositor
        assert [notice.message for notice in notices(app)] == ["Saved"]  # App._notifications
        field = app.query_one(Input)
        before = field._cursor_visible
        field._toggle_cursor()  # what the blink timer calls, and the snapshots' conftest holds still
        assert field._cursor_visible is not before
        button = Button("Press")
        await app.mount(button)
        button._start_active_affect()  # the press flash the snapshots' conftest turns off
        assert button.has_class("-active")


async def test_opening_a_page_does_not_parse_the_apps_stylesheets_again_through__css_update_count(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual starts a Screen's `_css_update_count` at -1 and re-parses every stylesheet when a mode
    opens a screen whose count differs from the app's; AccountScreen starts at the app's count."""
    reparsed: list[Stylesheet] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparsed.append(self)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app._css_update_count, int) and app.screen._css_update_count == app._css_update_count
        await open_page(pilot, "b")
        await open_page(pilot, "w")
        assert app.current_mode == "workspace"
        assert reparsed == []
        app.theme = "textual-light"  # a real change of the CSS still re-parses it
        await pilot.pause()
        assert reparsed


class KeyedButton(Button):
    BINDINGS = [Binding("x", "press", "Press it", id="hooks.press")]


class FooterApp(App[None]):
    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        for number in range(6):
            yield KeyedButton(str(number))
        yield self.footer()


async def rebuilds_for_six_focus_moves(footer: type[Footer], monkeypatch: pytest.MonkeyPatch) -> int:
    """How often `footer` recomposes while focus moves over six buttons; its last line must show the keys."""
    recomposed: list[None] = []
    original = footer.recompose

    async def counted(self: Footer) -> None:
        recomposed.append(None)
        await original(self)

    monkeypatch.setattr(footer, "recompose", counted)
    app = FooterApp(footer)
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        recomposed.clear()
        for button in app.query(KeyedButton):
            button.focus()
        await pilot.pause()
        await pilot.pause()
        # Footer.compose draws nothing until `_bindings_ready`: keys on screen prove the flag is set.
        assert "Press it" in screen_text(app).splitlines()[-1]
    return len(recomposed)


async def test_the_coalesced_footer_shows_the_keys_and_rebuilds_less_than_textuals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    textuals = await rebuilds_for_six_focus_moves(Footer, monkeypatch)
    ours = await rebuilds_for_six_focus_moves(KeysFooter, monkeypatch)
    assert ours * 3 <= textuals, (ours, textuals)  # 0 against 10 with textual 8.2.8: the buttons' keys are the same


def test_merge_bindings_gives_a_widgets_bindings_with_those_of_its_bases() -> None:
    keys = {key for key in KeyedButton._merge_bindings().key_to_bindings}
    assert {"x", "enter"} <= keys  # its own, and Button's


class Toggles(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("off", value=False, id="off")
        yield TickBox("on", value=True, id="on")
        yield Checkbox("textual", value=True, id="textual")


async def test_the_tick_box_draws_its_mark_through_togglebutton__button() -> None:
    app = Toggles()
    async with app.run_test(size=(30, 9)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "▐ ▌ off" in text and "▐X▌ on" in text  # ToggleButton still draws `_button`
        ours, textuals = app.query_one("#on", TickBox)._button, app.query_one("#textual", Checkbox)._button
        assert (ours.plain, ours.spans) == (textuals.plain, textuals.spans)  # ticked, drawn as Textual's
