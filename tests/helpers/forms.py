"""What a person buys and pays with, typing into fields, and the errors shown beside them."""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input

from kaspr_tui.api.models import QuoteRequest
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen
from kaspr_tui.widgets.forms.form_field import FormField
from tests.helpers.pages import open_modal
from tests.helpers.waiting import settle, until

GOOD_CARD = "4242424242424242"
MASTERCARD = "5555555555554444"
"""A Mastercard the bundled server accepts (any valid card but its test cards)."""
THREE_D_SECURE_CARD = "4000002760003184"
FAILING_CARDS = {
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
    "4000000000000127": "incorrect_cvc",
    "4000000000000119": "processing_error",
}
"""API.md rule 6: each test card and the reason the server gives for refusing it."""
DECLINED_WHEN_SAVED = "4100000000000019"
"""The bundled server's card that the processor refuses as it is saved (card_declined)."""

UPGRADE = QuoteRequest(plan="organization", interval="year")
"""Acme Corp (Business, annual, 10 seats) moves up to Organization: prorated, charged now."""


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type `text` where the focus is as a terminal delivers quick typing (or a paste): its keys all
    at once, which the app reads one by one, then one wait for the app to be idle.

    `pilot.press` waits for the app after each key (40 ms at least): in all, its presses were 39% of
    the suite's wall time, and the palette crawl's typed titles alone half of that test's 76 s. Tests
    about what a key does alone still press it."""
    app = pilot.app
    for character in text:
        key = events.Key(_character_to_key(character), character)  # as Textual's terminal parser names it
        key.set_sender(app)
        app.post_message(key)
    await pilot.pause()


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Focus the field, clear it and type `text` into it."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await type_text(pilot, text)


def fill(app: App[None], **values: str) -> None:
    """Set inputs by id (underscores for dashes), as if typed."""
    for input_id, text in values.items():
        app.screen.query_one(f"#{input_id.replace('_', '-')}", Input).value = text


def fill_card(app: App[None], number: str, expiry: str = "12/30", cvc: str = "123") -> None:
    fill(app, card_number=number, card_expiry=expiry, card_cvc=cvc, card_name="Alice Martin")


def error_of(app: App[None], input_id: str) -> str | None:
    """The message shown beside a form input, if any."""
    return app.screen.query_one(f"#{input_id}-field", FormField).error


def errors_shown(app: App[None]) -> dict[str, str]:
    """Input id → the message shown beside it."""
    return {field.id.removesuffix("-field"): field.error for field in app.screen.query(FormField) if field.error}


# ---- the billing form -------------------------------------------------------------------------

NEW_CARD = MASTERCARD
"""The card the billing form tests type in instead of the saved one."""
NEW_CVC = "987"


def form(app: App[None]) -> BillingFormScreen:
    assert isinstance(app.screen, BillingFormScreen)
    return app.screen


async def open_form_on_account(pilot: Pilot[None], **options: object) -> list[object]:
    """The form as the checkout opens it: Acme's saved details and default card."""
    await settle(pilot)
    account = pilot.app.account
    screen = BillingFormScreen(details=account.billing_details, saved_card=account.default_card, **options)
    return await open_modal(pilot, screen)


async def use_new_card(pilot: Pilot[None], number: str = NEW_CARD, expiry: str = "12/30", cvc: str = NEW_CVC) -> None:
    pilot.app.screen.query_one("#use-saved-card", Checkbox).value = False
    await pilot.pause()
    fill(pilot.app, card_number=number, card_expiry=expiry, card_cvc=cvc, card_name="Alice Martin")


async def submit(pilot: Pilot[None], results: list[object]) -> None:
    button = pilot.app.screen.query_one("#submit", Button)
    # A button ignores a click while it still shows the previous one (as a person's second click would be).
    await until(pilot, lambda: not button.has_class("-active"), "the previous click to fade")
    await pilot.click("#submit")
    await pilot.pause()  # the press is handled: a save, if one started, is now in flight
    await until(pilot, lambda: bool(results) or not form(pilot.app).saving, "the form to finish saving")
    await pilot.pause()
