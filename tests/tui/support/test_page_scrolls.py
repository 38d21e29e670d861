"""Issue 13, defect 1: the Support page at 80×24 scrolls, by keys, to everything it holds, and a
control Tab reaches is scrolled into view (never focused while hidden)."""

from __future__ import annotations

from kaspr_tui.server.testing import MEMBER_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle


async def test_end_shows_the_deleting_section_below_the_fold(live_server: LiveServer) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        assert "Deleting your account" not in screen_text(app)
        await pilot.press("escape")  # out of the first field, to the page
        await pilot.press("end")
        await settle(pilot)
        assert "Deleting your account" in screen_text(app)
        assert "Contact support before deleting" in screen_text(app)
        await pilot.press("home")
        await settle(pilot)
        assert "Contact support" in screen_text(app).splitlines()[1]


async def test_tab_to_the_delete_button_scrolls_it_into_view(live_server: LiveServer) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        for _ in range(10):
            await pilot.press("tab")
            await settle(pilot)
            if app.focused is not None and app.focused.id == "request-delete":
                break
        assert app.focused is not None and app.focused.id == "request-delete"
        assert app.screen.region.contains_region(app.focused.region)
        assert "Contact support before deleting" in screen_text(app)
