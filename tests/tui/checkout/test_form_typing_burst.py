"""Keys that arrive in one burst (tmux send-keys, a paste of "text<Tab>text", a fast typist) land
in the field the Tabs lead to: each Tab moves focus before the next key is routed."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from kaspr_tui.screens.billing.payment import open_update_payment
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.waiting import settle

TYPED = {
    "card-number": "4242424242424242",
    "card-expiry": "1230",
    "card-cvc": "123",
    "card-name": "Alice Martin",
}


def key(character: str) -> events.Key:
    if character == "\t":
        return events.Key("tab", None)
    return events.Key("space" if character == " " else character, character)


async def test_a_burst_of_text_and_tabs_fills_each_field_in_turn(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_update_payment(app)
        await pilot.pause()
        assert isinstance(app.screen, BillingFormScreen)
        app.screen.query_one("#card-number", Input).focus()
        await pilot.pause()
        # All queued before the app handles any, as the terminal's bytes arrive from tmux.
        for character in "\t".join(TYPED.values()):
            app.post_message(key(character))
        await settle(pilot)
        values = {input_id: app.screen.query_one(f"#{input_id}", Input).value for input_id in TYPED}
        assert app.focused is not None and app.focused.id == "card-name"
    assert values == {
        "card-number": "4242 4242 4242 4242",
        "card-expiry": "12/30",
        "card-cvc": "123",
        "card-name": "Alice Martin",
    }
