"""Issue 13, defect 7: the Billing tabs have keys (p, u) and palette entries; the palette finds
"card", invite, remove and a year's download."""

from __future__ import annotations

from textual.widgets import TabbedContent

from kaspr_tui.screens.dialogs.invoice_year import YearScreen
from kaspr_tui.screens.workspace.invite import InviteMemberScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.waiting import settle
from tests.tui.test_palette import run_from_palette


async def test_p_and_u_switch_the_billing_tabs_with_focus_in_them(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "b")
        app.screen.set_focus(None)
        await pilot.press("p")
        await settle(pilot)
        tabs = app.screen.query_one("#billing-tabs", TabbedContent)
        assert tabs.active == "plan-billing"
        assert app.focused is not None and app.screen.query_one("#plan-billing") in app.focused.ancestors
        app.screen.set_focus(None)
        await pilot.press("u")
        await settle(pilot)
        assert tabs.active == "upgrade"
        assert app.focused is app.screen.query_one("#plan-select")


async def test_the_palette_reaches_plan_billing_invite_and_a_years_download(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, "Plan & Billing")
        assert app.current_mode == "billing"
        assert app.screen.query_one("#billing-tabs", TabbedContent).active == "plan-billing"
        await run_from_palette(pilot, "Invite a member")
        assert isinstance(app.screen, InviteMemberScreen)
        await pilot.press("escape")
        await settle(pilot)
        await run_from_palette(pilot, "Download a year's invoices")
        assert isinstance(app.screen, YearScreen)


async def test_card_finds_update_payment_information(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen) if "card" in command.title.lower()]
        assert sorted(titles) == ["Manage cards", "Update payment information: new card"]
