"""How the billing information form looks at 80×24 and 120×40: prefilled from Acme's saved
details, and with every kind of error shown at once.

Seeded server, frozen clock, the cursor not blinking: the same picture on every machine.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from kaspr_tui.screens.checkout.billing_form import BillingFormScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.waiting import settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

Snap = Callable[..., bool]


async def open_form(pilot: Pilot[None]) -> None:
    await settle(pilot)
    account = pilot.app.account
    await pilot.app.push_screen(BillingFormScreen(details=account.billing_details, saved_card=account.default_card))
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def open_form_with_errors(pilot: Pilot[None]) -> None:
    await open_form(pilot)
    screen = pilot.app.screen
    screen.query_one("#use-saved-card", Checkbox).value = False
    await pilot.pause()
    for input_id, typed in {
        "email": "billing@acme",
        "postal-code": "7500",
        "vat-number": "FR00000000000",
        "card-number": "4242424242424241",
        "card-expiry": "01/20",
        "card-cvc": "12",
    }.items():
        screen.query_one(f"#{input_id}", Input).value = typed
    await pilot.pause()
    await pilot.click("#submit")
    await pilot.pause()


@SIZES
def test_billing_form_prefilled(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=open_form)


@SIZES
def test_billing_form_with_errors(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=open_form_with_errors)
