"""Driving the Plan & Billing dialogs as a person does, and reading the result back from the API."""

from __future__ import annotations

import httpx
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static, TabbedContent

from kaspr_tui.app import KasprApp
from kaspr_tui.screens.checkout import BillingFormScreen, OrderReviewScreen, ProcessingScreen
from kaspr_tui.screens.live_quote import UPDATING_PRICE
from checkout_helpers import subscription, until
from tui_helpers import settle


async def open_plan_billing(pilot: Pilot[None]) -> None:
    """Billing → Plan & Billing, loaded."""
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    pilot.app.screen.query_one("#billing-tabs", TabbedContent).active = "plan-billing"
    await settle(pilot)


async def open_dialog(pilot: Pilot[None], opener: str, dialog: type[Screen]) -> None:
    """Plan & Billing, then the button `opener`, until its dialog is up and showing the account."""
    await open_plan_billing(pilot)
    await press(pilot, opener)
    await until(pilot, lambda: isinstance(pilot.app.screen, dialog), f"the dialog {opener} opens")
    await pilot.pause()


async def press(pilot: Pilot[None], selector: str, on: type[Screen] | None = None) -> None:
    """Focus a button (on screen `on`, once it is there) and press Enter, as the keyboard does."""
    app = pilot.app
    await until(
        pilot,
        lambda: (on is None or isinstance(app.screen, on)) and bool(app.screen.query(selector)),
        selector,
    )
    await pilot.pause()
    app.screen.query_one(selector).focus()
    await pilot.press("enter")


def quote_total(app: KasprApp) -> str:
    return str(app.screen.query_one("#quote-total", Static).render())


async def priced(pilot: Pilot[None]) -> str:
    """Wait until the dialog's price is the answer for its inputs (no request waiting or in flight)."""
    app = pilot.app
    await pilot.pause()
    await until(pilot, lambda: quote_total(app) != UPDATING_PRICE and not app.screen.workers, "the price")
    return quote_total(app)


async def pay_with_saved_card(pilot: Pilot[None]) -> str:
    """Billing information (saved card) → order review → Continue to payment → OK; the payment's words."""
    app = pilot.app
    await press(pilot, "#submit", BillingFormScreen)
    await press(pilot, "#continue-to-payment", OrderReviewScreen)
    await until(
        pilot,
        lambda: isinstance(app.screen, ProcessingScreen) and bool(app.screen.query("#ok"))
        and app.screen.query_one("#ok").display,
        "the payment's outcome",
    )
    words = str(app.screen.query_one("#payment-message", Static).content)
    await press(pilot, "#ok", ProcessingScreen)
    await settle(pilot)
    return words


def server_quote(admin: httpx.Client, body: dict) -> httpx.Response:
    return admin.post("/v1/quotes", json=body)


def credit_balance(admin: httpx.Client, credit_type: str) -> dict:
    return next(balance for balance in admin.get("/v1/credits").json()["data"] if balance["type"] == credit_type)


def addon_pack(admin: httpx.Client, credit_type: str) -> dict | None:
    return next((pack for pack in subscription(admin)["addons"] if pack["type"] == credit_type), None)


def invoice_count(admin: httpx.Client) -> int:
    return len(admin.get("/v1/invoices", params={"limit": 100}).json()["data"])


def catalog_pack(admin: httpx.Client, credit_type: str) -> dict:
    return next(pack for pack in admin.get("/v1/catalog").json()["addon_packs"] if pack["type"] == credit_type)


def shown(app: KasprApp, selector: str) -> str:
    """The words a widget on the active screen holds, whether or not a narrow terminal wraps them."""
    return str(app.screen.query_one(selector, Static).render())
