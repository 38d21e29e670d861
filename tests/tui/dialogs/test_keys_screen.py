"""Issue 13, defect 7: `?` lists every key of the page, in the footer or not (x on Workspace), and
the keys of the controls on it (slider, counter, plan list) whichever has focus."""

from __future__ import annotations

from textual.widgets import Static

from kaspr_tui.screens.dialogs.keys import KeysScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.waiting import settle


async def keys_text(pilot) -> str:
    pilot.app.screen.set_focus(None)
    await pilot.press("question_mark")
    await settle(pilot)
    assert isinstance(pilot.app.screen, KeysScreen)
    return "\n".join(str(static.render()) for static in pilot.app.screen.query(Static))


async def test_workspace_keys_include_x_remove(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        text = await keys_text(pilot)
        assert "x / del " in text and "Remove" in text


async def test_billing_keys_include_the_slider_and_counter_and_the_tabs(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 40)) as pilot:
        await open_page(pilot, "b")
        text = await keys_text(pilot)
        assert "On a slider (credits)" in text and "On a counter (users, licenses)" in text
        assert "Plan & Billing tab" in text
