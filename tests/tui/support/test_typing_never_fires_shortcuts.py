"""Issue 13, defect 4: letters typed on a page with a form go into its first field, never into a
shortcut (t opened the Transfer dialog, e jumped to another field), and / moves to the look-up
field without typing itself into it."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from kaspr_tui.server.testing import MEMBER_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.waiting import settle

TYPED = "tanja.eriksen@acme.example"  # t (Transfer), e (Change an email), j, and / below


async def test_the_console_opens_in_the_lookup_field_and_letters_go_there(live_server: LiveServer) -> None:
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*TYPED)
        await settle(pilot)
        assert app.screen.query_one("#lookup-email", Input).value == TYPED
        assert type(app.screen).__name__ == "SupportScreen"  # no dialog opened


async def test_slash_goes_to_the_lookup_field_without_typing_a_slash(live_server: LiveServer) -> None:
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#support-scroll").focus()  # as Escape leaves a field
        await pilot.press("slash", "a", "b")
        await settle(pilot)
        lookup = app.screen.query_one("#lookup-email", Input)
        assert app.focused is lookup
        assert lookup.value == "ab"


@pytest.mark.parametrize("key", [MEMBER_KEY])
async def test_the_customers_page_opens_in_its_first_field(live_server: LiveServer, key: str) -> None:
    app = app_for(live_server.url, key)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        await pilot.press(*TYPED)
        await settle(pilot)
        assert app.screen.query_one("#request-new-email", Input).value == TYPED
        assert app.screen.query_one("#request-transfer-email", Input).value == ""
