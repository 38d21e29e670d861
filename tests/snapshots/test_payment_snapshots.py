"""How Update payment information, Manage cards, the Billing details modal and its Edit form look
at 80×24 and 120×40.

The update form is shown after the server declined the card typed, with the reason beside the
number; the modal shows Acme Corp's subscription. Seeded server, frozen clock, no blinking cursor.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input

from kaspr_tui.screens.billing.cards import open_cards
from kaspr_tui.screens.billing.payment import open_update_payment
from kaspr_tui.screens.dialogs.billing_details import open_billing_details
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.waiting import settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

DECLINED_WHEN_SAVED = "4100000000000019"

Snap = Callable[..., bool]


async def update_form_with_declined_card(pilot: Pilot[None]) -> None:
    await settle(pilot)
    open_update_payment(pilot.app)
    await pilot.pause()
    screen = pilot.app.screen
    for field in screen.query(Input):
        field.cursor_blink = False
    for input_id, typed in {
        "card-number": DECLINED_WHEN_SAVED,
        "card-expiry": "12/30",
        "card-cvc": "123",
        "card-name": "Alice Martin",
    }.items():
        screen.query_one(f"#{input_id}", Input).value = typed
    screen.query_one("#submit", Button).press()
    await settle(pilot)


async def billing_details_modal(pilot: Pilot[None]) -> None:
    await settle(pilot)
    open_billing_details(pilot.app)
    await settle(pilot)


@SIZES
def test_update_payment_declined(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    assert snap_compare(app, terminal_size=size, run_before=update_form_with_declined_card)


@SIZES
def test_billing_details_modal(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=billing_details_modal)


async def cards_dialog(pilot: Pilot[None]) -> None:
    """Manage cards with Acme's Visa (the default) and a Mastercard added."""
    await settle(pilot)
    async with httpx.AsyncClient(base_url=pilot.app.client.base_url,
                                 headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as admin:
        (await admin.post("/v1/payment_methods", json={
            "number": "5555555555554444", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin",
        })).raise_for_status()
    pilot.app.load_account()
    await settle(pilot)
    open_cards(pilot.app)
    await settle(pilot)


async def edit_billing_details(pilot: Pilot[None]) -> None:
    """Billing details → Edit, with a postal code that is not one of France's."""
    await billing_details_modal(pilot)
    pilot.app.screen.query_one("#edit-billing-details", Button).press()
    await settle(pilot)
    screen = pilot.app.screen
    for field in screen.query(Input):
        field.cursor_blink = False
    screen.query_one("#postal-code", Input).value = "7500"
    screen.query_one("#submit", Button).press()
    await settle(pilot)


@SIZES
def test_cards_dialog(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=cards_dialog)


@SIZES
def test_edit_billing_details(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=edit_billing_details)
