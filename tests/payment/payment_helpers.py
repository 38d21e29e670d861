"""What the payment tests share: opening the flows from Plan & Billing, filling the card (reading the form
and the server's view are in checkout_helpers)."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, TabbedContent

from checkout_helpers import fill
from tui_helpers import settle

GOOD_CARD = "5555555555554444"
"""A Mastercard the bundled server accepts (any valid card but its test cards)."""

DECLINED_WHEN_SAVED = "4100000000000019"
"""The bundled server's card that the processor refuses as it is saved (card_declined)."""


async def press_on_plan_billing(pilot: Pilot[None], button_id: str) -> None:
    """As a person does it: Billing, the Plan & Billing tab, focus the button, Enter."""
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    pilot.app.screen.query_one("#billing-tabs", TabbedContent).active = "plan-billing"
    await pilot.pause()
    pilot.app.screen.query_one(f"#{button_id}", Button).focus()
    await pilot.press("enter")
    await settle(pilot)


def fill_card(app: App[None], number: str, expiry: str = "12/30", cvc: str = "123") -> None:
    fill(app, card_number=number, card_expiry=expiry, card_cvc=cvc, card_name="Alice Martin")
