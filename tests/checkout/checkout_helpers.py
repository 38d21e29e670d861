"""What the checkout tests share: a card to pay with, a screen to host the flow, the server's view."""

from __future__ import annotations

from collections.abc import Callable
import httpx
from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kaspr_tui.api.models import BillingDetails, PaymentMethod, QuoteRequest
from kaspr_tui.app import KasprApp
from kaspr_tui.screens.checkout import PaymentChoice
from kaspr_tui.widgets.card_input import FormField

GOOD_CARD = "4242424242424242"
THREE_D_SECURE_CARD = "4000002760003184"
FAILING_CARDS = {
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
    "4000000000000127": "incorrect_cvc",
    "4000000000000119": "processing_error",
}
"""API.md rule 6: each test card and the reason the server gives for refusing it."""

UPGRADE = QuoteRequest(plan="organization", interval="year")
"""Acme Corp (Business, annual, 10 seats) moves up to Organization: prorated, charged now."""


def add_card(admin: httpx.Client, number: str) -> PaymentMethod:
    """A test card saved on the server (the processor decides its outcome by the number)."""
    body = {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin"}
    response = admin.post("/v1/payment_methods", json=body)
    response.raise_for_status()
    return PaymentMethod.model_validate(response.json())


def choice_for(admin: httpx.Client, card: PaymentMethod) -> PaymentChoice:
    return PaymentChoice(card, BillingDetails.model_validate(admin.get("/v1/billing_details").json()))


def invoices(client: httpx.Client) -> list[dict]:
    return client.get("/v1/invoices", params={"limit": 100}).json()["data"]


def subscription(client: httpx.Client) -> dict:
    return client.get("/v1/subscription").json()


async def open_modal(pilot: Pilot[None], screen: ModalScreen) -> list[object]:
    """Push `screen` over the app; the list receives what it dismisses with."""
    results: list[object] = []
    pilot.app.push_screen(screen, results.append)
    await pilot.pause()
    return results


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str, *, attempts: int = 500) -> None:
    """Pause until `condition()` holds (a worker answered); fail naming `what` if it never does."""
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def showing(app: KasprApp, selector: str) -> bool:
    """Whether a widget matching `selector` is on the active screen and displayed."""
    found = app.screen.query(selector)
    return bool(found) and found.first().display


def dialog_message(app: KasprApp) -> str:
    """The payment dialog's words, unwrapped (what a narrow terminal splits over lines)."""
    return str(app.screen.query_one("#payment-message", Static).content)


def error_of(app: App[None], input_id: str) -> str | None:
    """The message shown beside a form input, if any."""
    return app.screen.query_one(f"#{input_id}-field", FormField).error


def errors_shown(app: App[None]) -> dict[str, str]:
    """Input id → the message shown beside it."""
    return {field.id.removesuffix("-field"): field.error for field in app.screen.query(FormField) if field.error}


def fill(app: App[None], **values: str) -> None:
    """Set inputs by id (underscores for dashes), as if typed."""
    for input_id, text in values.items():
        app.screen.query_one(f"#{input_id.replace('_', '-')}", Input).value = text


def server_state(admin: httpx.Client) -> tuple[object, object, int]:
    """Billing details, cards and the size of the event feed: what a save or an update would change."""
    events_feed = admin.get("/v1/events", params={"limit": 100}).json()["data"]
    return admin.get("/v1/billing_details").json(), admin.get("/v1/payment_methods").json()["data"], len(events_feed)
