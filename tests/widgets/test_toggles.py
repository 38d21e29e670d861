"""Issue 13, defect 3: a checkbox's and a radio button's state reads from the characters drawn,
not from their colour (NO_COLOR, monochrome terminals)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from kaspr_tui.widgets.toggles import Radio, TickBox
from tests.helpers.screen import screen_text


class Toggles(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("Move their license", id="ticked", value=True, compact=True)
        yield TickBox("Move their license", id="unticked", compact=True)
        with RadioSet(compact=True):
            yield Radio("Member", value=True, id="member", compact=True)
            yield Radio("Admin", id="admin", compact=True)


def line_with(app: App[None], selector: str) -> str:
    region = app.screen.query_one(selector).region
    return screen_text(app).splitlines()[region.y]


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
async def test_ticked_and_chosen_differ_in_characters(monkeypatch: pytest.MonkeyPatch, no_color: bool) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = Toggles()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "▐X▌ Move their license" in line_with(app, "#ticked")
        assert "▐ ▌ Move their license" in line_with(app, "#unticked")
        assert "▐●▌ Member" in line_with(app, "#member")
        assert "▐ ▌ Admin" in line_with(app, "#admin")
        app.screen.query_one("#unticked", TickBox).focus()
        await pilot.press("space")
        assert "▐X▌ Move their license" in line_with(app, "#unticked")
