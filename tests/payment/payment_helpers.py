"""What the payment tests share: opening the flows from Plan & Billing, filling the card, the server's view."""

from __future__ import annotations

import httpx
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Input, TabbedContent

from kaspr_tui.widgets.card_input import FormField
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


def fill(app: App[None], **values: str) -> None:
    """Set inputs by id (underscores for dashes), as if typed."""
    for input_id, text in values.items():
        app.screen.query_one(f"#{input_id.replace('_', '-')}", Input).value = text


def fill_card(app: App[None], number: str, expiry: str = "12/30", cvc: str = "123") -> None:
    fill(app, card_number=number, card_expiry=expiry, card_cvc=cvc, card_name="Alice Martin")


def errors_shown(app: App[None]) -> dict[str, str]:
    """Input id → the message shown beside it."""
    return {field.id.removesuffix("-field"): field.error for field in app.screen.query(FormField) if field.error}


def server_state(admin: httpx.Client) -> tuple[object, object, int]:
    """Billing details, cards and the size of the event feed: what an update would change."""
    events_feed = admin.get("/v1/events", params={"limit": 100}).json()["data"]
    return admin.get("/v1/billing_details").json(), admin.get("/v1/payment_methods").json()["data"], len(events_feed)
