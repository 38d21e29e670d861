"""Taking the app to a page or a dialog, and pressing its buttons, as a person does."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import Static, TabbedContent

from kaspr_tui.screens.billing.invoices import open_invoices
from kaspr_tui.screens.checkout import (
    BillingFormScreen,
    OrderReviewScreen,
    ProcessingScreen,
)
from kaspr_tui.widgets.paged_table import PagedTable
from tests.helpers.waiting import settle, until


async def open_page(pilot: Pilot[None], key: str) -> None:
    """The page of the mode `key` switches to (b, w, s, d), once the account is loaded and shown."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def open_plan_billing(pilot: Pilot[None]) -> None:
    """Billing → Plan & Billing, loaded."""
    await open_page(pilot, "b")
    pilot.app.screen.query_one("#billing-tabs", TabbedContent).active = "plan-billing"
    await settle(pilot)


async def press_on_plan_billing(pilot: Pilot[None], button_id: str) -> None:
    """Billing, the Plan & Billing tab, then its button `button_id` pressed, and what it opened loaded."""
    await open_plan_billing(pilot)
    await press(pilot, f"#{button_id}")
    await settle(pilot)


async def open_dialog(pilot: Pilot[None], opener: str, dialog: type[Screen]) -> None:
    """Plan & Billing, then the button `opener`, until its dialog is up and showing the account."""
    await open_plan_billing(pilot)
    await press(pilot, opener)
    await until(pilot, lambda: isinstance(pilot.app.screen, dialog), f"the dialog {opener} opens")
    await pilot.pause()


async def show_invoices(pilot: Pilot[None]) -> PagedTable:
    """From the dashboard to the invoices table, as the palette's "Invoices" does; the table."""
    await settle(pilot)
    await open_invoices(pilot.app)
    await settle(pilot)
    return pilot.app.screen.query_one("#invoices", PagedTable)


async def open_modal(pilot: Pilot[None], screen: ModalScreen) -> list[object]:
    """Push `screen` over the app; the list receives what it dismisses with."""
    results: list[object] = []
    pilot.app.push_screen(screen, results.append)
    await pilot.pause()
    return results


async def press(pilot: Pilot[None], selector: str, on: type[Screen] | None = None) -> None:
    """Focus a button (on screen `on`, once it is there) and press Enter, as the keyboard does.

    A button pressed a moment ago is still lit (`-active`): it is pressed again once that fades.
    """
    app = pilot.app

    def ready() -> bool:
        if on is not None and not isinstance(app.screen, on):
            return False
        found = app.screen.query(selector)
        return bool(found) and not found.first().has_class("-active")

    await until(pilot, ready, selector)
    await pilot.pause()
    app.screen.query_one(selector).focus()
    await pilot.press("enter")
    await pilot.pause()


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
