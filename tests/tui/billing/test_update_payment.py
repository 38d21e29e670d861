"""Update payment information against the bundled server: a good card becomes the default and the
old one stays on file; a bad card (Luhn, expiry, CVC) or one the server declines gets the reason
beside its field and changes nothing; Escape changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Button, Input

from kaspr_tui.screens.billing.payment import open_update_payment
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen
from kaspr_tui.screens.dialogs.billing_details import (
    BillingDetailsScreen,
    open_billing_details,
)
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.forms import (
    DECLINED_WHEN_SAVED,
    MASTERCARD,
    errors_shown,
    fill,
    fill_card,
)
from tests.helpers.http import server_state
from tests.helpers.pages import press_on_plan_billing
from tests.helpers.screen import notices, notifications, screen_text
from tests.helpers.waiting import settle, until


def cards_by_last4(admin: httpx.Client) -> dict[str, bool]:
    """last 4 digits → whether it is the default card."""
    return {card["last4"]: card["is_default"] for card in admin.get("/v1/payment_methods").json()["data"]}


async def confirm(pilot) -> None:
    """Press Confirm and wait until the form has finished (closed, or showing why not)."""
    screen = pilot.app.screen
    assert isinstance(screen, BillingFormScreen)
    screen.query_one("#submit", Button).press()
    await pilot.pause()
    await until(pilot, lambda: not screen.saving, "the form to finish saving")
    await settle(pilot)


async def refused(pilot, number: str, expiry: str = "12/30", cvc: str = "123") -> dict[str, str]:
    """Try a card in Update payment information; the form must stay open: the errors it shows, by input id."""
    open_update_payment(pilot.app)
    await pilot.pause()
    fill_card(pilot.app, number, expiry, cvc)
    await confirm(pilot)
    assert isinstance(pilot.app.screen, BillingFormScreen), "the form stays open"
    return errors_shown(pilot.app)


async def test_the_button_opens_the_form_with_the_card_fields_open_and_confirm(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_on_plan_billing(pilot, "update-payment")
        screen = app.screen
        assert isinstance(screen, BillingFormScreen)
        assert str(screen.query_one("#submit", Button).label) == "Confirm"
        assert not screen.query_one("#use-saved-card").display, "a new card is asked for, not the saved one"
        assert screen.query_one("#card-number", Input).display
        assert screen.query_one("#company", Input).value == "Acme Corp", "the billing address is prefilled"
        assert "Update payment information" in screen_text(app)


async def test_a_good_card_becomes_the_default_and_the_old_one_stays(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    assert cards_by_last4(admin) == {"4242": True}
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_on_plan_billing(pilot, "update-payment")
        fill_card(app, MASTERCARD)
        fill(app, city="Lyon", postal_code="69002")
        await confirm(pilot)
        assert not isinstance(app.screen, BillingFormScreen), "the form closed"
        notes = notifications(app)
        assert "Mastercard •••• 4444 is now your default card." in notes
        await until(pilot, lambda: app.account.default_card is not None and app.account.default_card.last4 == "4444",
                    "the account to be reloaded")
        await settle(pilot)
        payment_panel = app.screen.query_one("#payment-summary").render()
        assert "Mastercard •••• 4444" in str(payment_panel) and "Visa •••• 4242" in str(payment_panel)
    assert cards_by_last4(admin) == {"4444": True, "4242": False}
    address = admin.get("/v1/billing_details").json()["address"]
    assert (address["city"], address["postal_code"]) == ("Lyon", "69002"), "changed details are saved too"


@pytest.mark.parametrize(
    ("number", "expiry", "cvc", "field", "reason"),
    [
        ("4242424242424241", "12/30", "123", "card-number", "not valid"),
        (MASTERCARD, "01/20", "123", "card-expiry", "expired"),
        (MASTERCARD, "12/30", "12", "card-cvc", "3-digit"),
        ("378282246310005", "12/30", "123", "card-cvc", "4-digit"),
    ],
    ids=["luhn", "expired", "short-cvc", "amex-needs-4-digit-cvc"],
)
async def test_a_bad_card_gets_the_reason_beside_its_field_and_changes_nothing(
    live_server: LiveServer, admin: httpx.Client, number: str, expiry: str, cvc: str, field: str, reason: str
) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = await refused(pilot, number, expiry, cvc)
        assert list(shown) == [field]
        assert reason in shown[field]
        assert app.focused is not None and app.focused.id == field, "the cursor goes to the field to fix"
    assert server_state(admin) == before


async def test_a_card_the_server_declines_stays_off_file_and_another_card_then_works(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = await refused(pilot, DECLINED_WHEN_SAVED)
        assert list(shown) == ["card-number"]
        assert "declined" in shown["card-number"]
        assert "declined" in screen_text(app)
        assert app.screen.query_one("#card-number", Input).value == "", "the refused number is not kept on screen"
        assert app.screen.query_one("#card-cvc", Input).value == ""
        assert server_state(admin) == before, "the old card is still the default, nothing was added"

        fill_card(app, MASTERCARD)
        await confirm(pilot)
        assert not isinstance(app.screen, BillingFormScreen)
    assert cards_by_last4(admin) == {"4444": True, "4242": False}


async def test_escape_closes_the_form_and_changes_nothing(live_server: LiveServer, admin: httpx.Client) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_update_payment(app)
        await pilot.pause()
        fill_card(app, MASTERCARD)
        fill(app, company="Someone Else SAS")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, BillingFormScreen)
        assert not notices(app), "no success is claimed"
    assert server_state(admin) == before


async def test_without_saved_billing_details_the_form_opens_empty(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(BillingFormScreen(details=None, saved_card=None, submit_label="Confirm"))
        await pilot.pause()
        assert isinstance(app.screen, BillingFormScreen)
        assert app.screen.query_one("#company", Input).value == ""
        assert "Choose a country" in screen_text(app)


@pytest.mark.parametrize(
    ("open_flow", "screen_class", "message"),
    [
        (open_update_payment, BillingFormScreen, "Only an admin of the workspace can change its card."),
        (open_billing_details, BillingDetailsScreen, "Only an admin of the workspace can see its billing details."),
    ],
    ids=["update-payment", "billing-details"],
)
async def test_a_member_is_told_only_an_admin_may(
    live_server: LiveServer, open_flow: Callable[[App[object]], None], screen_class: type[Screen], message: str
) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_flow(app)
        await pilot.pause()
        assert not isinstance(app.screen, screen_class)
        assert notifications(app) == [message]
