"""Driving a purchase through the TUI as a person does, whatever the server answers, and reading
what the server really did through its API."""

from __future__ import annotations

import time

import httpx
from starlette.types import ASGIApp
from textual.pilot import Pilot
from textual.widgets import Button
from textual.worker import WorkerState

from kaspr_tui.api import BillingClient
from kaspr_tui.app import KasprApp
from kaspr_tui.screens.checkout import BillingFormScreen, OrderReviewScreen, ProcessingScreen
from kaspr_tui.server.middleware import FaultInjectionMiddleware
from kaspr_tui.widgets.seat_counter import SeatCounter
from checkout_helpers import showing, until
from tui_helpers import settings_for, settle
from upgrade_helpers import quoted

SUCCEEDED = "Payment succeeded"
NOT_CONFIRMED = "Payment not confirmed"
COULD_NOT_START = "The payment could not start"
PAYMENT_FAILED = "Payment failed"
NOT_PRICED = "not priced"
"""What the person is told when the flow stops before any payment: the quote could not be made."""


def fault_injection(app: ASGIApp) -> FaultInjectionMiddleware:
    """The server's fault injector, to seed it and to turn faults on and off while it runs."""
    layer: object = app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, FaultInjectionMiddleware):
        layer = layer.app  # type: ignore[attr-defined]
    return layer


def app_over(url: str, key: str, transport: httpx.AsyncBaseTransport, **client_options: object) -> KasprApp:
    """The app as the CLI builds it, its client's HTTP going through `transport`."""
    client = BillingClient(url, key, transport=transport, **client_options)  # type: ignore[arg-type]
    app = KasprApp(settings_for(url, key), client=client)
    app.animation_level = "none"
    return app


def checkout_running(app: KasprApp) -> bool:
    return any(
        worker.group == "checkout" and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        for worker in app.workers
    )


def dialog_title(app: KasprApp) -> str:
    return str(app.screen.query_one("#payment-dialog").border_title)


async def press_button(pilot: Pilot[None], selector: str) -> None:
    """Focus a button and press Enter, as the keyboard does."""
    button = pilot.app.screen.query_one(selector, Button)
    await until(pilot, lambda: not button.has_class("-active"), "the previous press to fade")
    button.focus()
    await pilot.press("enter")
    await pilot.pause()


async def refresh_until_loaded(pilot: Pilot[None], attempts: int = 20) -> None:
    """Press r until a refresh succeeds (the person's answer to a stale banner)."""
    app = pilot.app
    await settle(pilot)
    for _ in range(attempts):
        if app.account.error is None and app.account.loaded:
            return
        await pilot.press("r")
        await settle(pilot)
    raise AssertionError(f"the account never loaded: {app.account.error}")


async def try_to_buy_seats(pilot: Pilot[None], seats: int) -> list[str]:
    """One try at buying `seats` from the Upgrade pane: Checkout, the saved card, Continue, then
    Retry for as long as the dialog offers it. What the person was told, in order; the last entry
    is the final word (`SUCCEEDED`, or why nothing was bought)."""
    app = pilot.app
    assert isinstance(app, KasprApp)
    await pilot.press("b", "r")  # r: load the account and ask for the quote again after a failure
    await refresh_until_loaded(pilot)
    await settle(pilot)
    counter = app.screen.query_one("#seats", SeatCounter)
    counter.focus()
    await pilot.press(*["plus"] * (seats - counter.value))
    await quoted(pilot)
    if app.screen.query_one("#checkout", Button).disabled:
        return [NOT_PRICED]
    await press_button(pilot, "#checkout")
    told: list[str] = []
    acted_on: set[int] = set()
    while True:
        await until(pilot, lambda: _needs_the_person(app) or not checkout_running(app), "the next step", attempts=1500)
        screen = app.screen
        if isinstance(screen, ProcessingScreen):
            if showing(app, "#retry"):
                told.append(dialog_title(app))
                await press_button(pilot, "#retry")
                continue
            told.append(dialog_title(app))
            await press_button(pilot, "#ok")
            await refresh_until_loaded(pilot)
            return told
        if isinstance(screen, BillingFormScreen | OrderReviewScreen) and id(screen) not in acted_on:
            acted_on.add(id(screen))
            await press_button(pilot, "#submit" if isinstance(screen, BillingFormScreen) else "#continue-to-payment")
            continue
        if not checkout_running(app):
            # The flow ended before a payment: the quote could not be made, and a notification said so.
            told.append(NOT_PRICED)
            return told


def _needs_the_person(app: KasprApp) -> bool:
    screen = app.screen
    if isinstance(screen, ProcessingScreen):
        return showing(app, "#retry") or showing(app, "#ok")
    if isinstance(screen, BillingFormScreen):
        return not screen.saving
    return isinstance(screen, OrderReviewScreen)


def steady(client: httpx.Client, path: str, *, attempts: int = 50, **params: object) -> dict:
    """GET through whatever faults the server injects: an answer is retried until it is not a 503."""
    for _ in range(attempts):
        response = client.get(path, params=params)
        if response.status_code != 503:
            response.raise_for_status()
            return response.json()
        time.sleep(0.01)
    raise AssertionError(f"{path} kept answering 503")


def paid_invoices(client: httpx.Client) -> list[dict]:
    return [invoice for invoice in steady(client, "/v1/invoices", limit=100)["data"] if invoice["status"] == "paid"]


def open_invoices(client: httpx.Client) -> list[dict]:
    return [invoice for invoice in steady(client, "/v1/invoices", limit=100)["data"] if invoice["status"] == "open"]
