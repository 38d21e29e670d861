"""Below 60×20 a note asks for a larger terminal; it goes once the terminal is large enough."""

from __future__ import annotations

from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle


async def test_a_small_terminal_says_to_make_it_larger_until_it_is(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(50, 16)) as pilot:
        await settle(pilot)
        assert "Make the terminal larger" in screen_text(app).replace("\n", " ")
        assert "50×16" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "Make the terminal larger" not in screen_text(app)
        assert type(app.screen).__name__ == "DashboardScreen"
