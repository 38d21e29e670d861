"""Issue 12, defect 6: the price on the pane is the price on the review and the price paid; when it
must be made again (held 15 minutes), the review says so and by how much before anything is paid."""

from __future__ import annotations

import httpx
from textual.widgets import Static

from kaspr_tui.billing.money import format_money
from kaspr_tui.screens.checkout import BillingFormScreen, OrderReviewScreen, ProcessingScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import recording_app
from tests.helpers.http import invoices
from tests.helpers.pages import open_page, press
from tests.helpers.screen import dialog_title, showing, shown
from tests.helpers.waiting import quoted, settle, until


async def test_the_panes_price_is_held_to_the_payment_and_a_renewed_one_says_what_moved(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = invoices(admin)
    app, transport = recording_app(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "b")
        await pilot.press("down")  # Organization, prorated
        await quoted(pilot)
        on_pane = shown(app, "#quote-total")
        asked = len(transport.quote_requests)
        await press(pilot, "#checkout")
        await press(pilot, "#submit", BillingFormScreen)
        await until(pilot, lambda: isinstance(app.screen, OrderReviewScreen), "the review")
        review = app.screen
        assert isinstance(review, OrderReviewScreen)
        # The very quote the pane showed: not priced again a moment later for a few cents less.
        assert len(transport.quote_requests) == asked
        assert on_pane == f"Total due now {format_money(review.quote.total_due_now)}"
        held = review.quote
        assert not review.query("#order-renewed")

        # The person reads for 16 minutes: the server's price has expired by the time they pay.
        admin.post("/v1/test_helpers/advance_clock", json={"seconds": 16 * 60}).raise_for_status()
        await press(pilot, "#continue-to-payment", OrderReviewScreen)
        await until(pilot, lambda: isinstance(app.screen, OrderReviewScreen) and app.screen is not review,
                    "the review again, at the new price")
        renewed = app.screen
        assert isinstance(renewed, OrderReviewScreen) and renewed.quote.id != held.id
        note = str(renewed.query_one("#order-renewed", Static).content)
        assert note.startswith("Prices are held for 15 minutes, so this one was priced again.")
        assert format_money(renewed.quote.total_due_now) in note and format_money(held.total_due_now) in note
        assert invoices(admin) == before, "nothing charged for the expired price"

        await press(pilot, "#continue-to-payment", OrderReviewScreen)
        await until(pilot, lambda: isinstance(app.screen, ProcessingScreen) and showing(app, "#ok"), "the outcome")
        assert dialog_title(app) == "Payment succeeded"
        await press(pilot, "#ok")
        await settle(pilot)
    [paid] = invoices(admin)[: len(invoices(admin)) - len(before)]
    assert paid["total"] == renewed.quote.total_due_now  # what the renewed review said, nothing else
