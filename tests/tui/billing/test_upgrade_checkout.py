"""Checkout from the Upgrade pane with the saved card, through to the dashboard showing the new plan."""

from __future__ import annotations

import httpx

from kaspr_tui.billing.money import format_money
from kaspr_tui.screens.checkout import (
    BillingFormScreen,
    OrderReviewScreen,
    ProcessingScreen,
)
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.widgets.choices import Choices
from kaspr_tui.widgets.seat_counter import SeatCounter
from tests.helpers.app import recording_app
from tests.helpers.pages import open_page, press
from tests.helpers.screen import screen_text, shown
from tests.helpers.waiting import quoted, settle, until


async def test_checkout_with_the_saved_card_moves_the_workspace_to_the_new_plan(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app, _ = recording_app(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_page(pilot, "b")
        await pilot.press("down")  # Organization, charged now (prorated)
        await quoted(pilot)
        total = shown(app, "#quote-total")
        app.screen.query_one("#checkout").focus()
        await pilot.press("enter")

        await press(pilot, "#submit", BillingFormScreen)  # the saved card is preselected
        await press(pilot, "#continue-to-payment", OrderReviewScreen)
        await until(pilot, lambda: isinstance(app.screen, ProcessingScreen) and bool(app.screen.query("#ok"))
                    and app.screen.query_one("#ok").display, "the payment's outcome")
        await press(pilot, "#ok", ProcessingScreen)
        await settle(pilot)

        subscription = admin.get("/v1/subscription").json()
        assert subscription["plan"] == "organization"
        latest_invoice = admin.get("/v1/invoices", params={"limit": 1}).json()["data"][0]
        assert latest_invoice["status"] == "paid"
        assert format_money(latest_invoice["total"]) in total  # paid what the pane said was due now

        # The pane starts again from the new subscription: nothing to change, nothing to pay.
        assert app.screen.query_one("#plan-select", Choices).value == "organization"
        assert app.screen.query_one("#seats", SeatCounter).value == subscription["seats"]
        assert "Organization  current" in shown(app, "#plan-select")

        await pilot.press("d")
        await settle(pilot)
        assert "Organization · annual" in screen_text(app)
