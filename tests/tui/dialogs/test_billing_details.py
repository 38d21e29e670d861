"""The Billing details modal, read from the screen: plan, licenses, period, the next renewal and
what it bills, each add-on pack and whether it renews, who is billed, the VAT number and its
status, the card. Escape or Close closes it; at 80×24 and less it scrolls."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from kaspr_tui.api import BillingClient
from kaspr_tui.app import KasprApp
from kaspr_tui.billing.money import format_money
from kaspr_tui.config import DEMO_ADMIN_KEY, Settings
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen
from kaspr_tui.screens.dialogs.billing_details import (
    BillingDetailsScreen,
    open_billing_details,
)
from kaspr_tui.server.testing import ADMIN_KEY, GLOBEX_KEY, LiveServer
from kaspr_tui.state import fetch_account, save_last_known
from tests.helpers.app import app_for
from tests.helpers.forms import error_of, fill
from tests.helpers.pages import press, press_on_plan_billing
from tests.helpers.screen import screen_text, shown
from tests.helpers.waiting import settle, until


def plan_price(admin: httpx.Client, plan_id: str, interval: str, seats: int) -> int:
    """One period of the plan for `seats`, from the catalog: annual plans bill 12 months at once."""
    [plan] = [plan for plan in admin.get("/v1/catalog").json()["plans"] if plan["id"] == plan_id]
    if interval == "year":
        return plan["annual_unit_amount"] * 12 * seats
    return plan["monthly_unit_amount"] * seats


def renewing_packs_price(admin: httpx.Client) -> int:
    """The add-on packs that renew (auto-renew on), at the catalog's unit prices."""
    units = {pack["type"]: pack["unit_amount"] for pack in admin.get("/v1/catalog").json()["addon_packs"]}
    addons = admin.get("/v1/subscription").json()["addons"]
    return sum(units[addon["type"]] * addon["quantity"] for addon in addons if addon["auto_renew"])


def dialog_text(app: App[None]) -> str:
    """The words on screen inside the dialog, row after row, borders and runs of spaces squeezed out."""
    region = app.screen.query_one("#billing-details-dialog").region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return " ".join(" ".join(row[region.x + 1 : region.right - 1] for row in rows).split())


def upcoming_words(app: App[None]) -> str:
    """The upcoming charges as the dialog lays them out (runs of spaces squeezed), scrolled into view or not."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#details-upcoming", Static).content)
    return "\n".join(" ".join(line.split()) for line in console.export_text().splitlines())


async def open_modal(pilot: Pilot[None]) -> str:
    await settle(pilot)
    open_billing_details(pilot.app)
    await settle(pilot)
    assert isinstance(pilot.app.screen, BillingDetailsScreen)
    return dialog_text(pilot.app)


async def test_the_button_opens_the_subscriptions_billing_details(live_server: LiveServer, admin: httpx.Client) -> None:
    subscription = admin.get("/v1/subscription").json()
    addons = {addon["type"]: addon for addon in subscription["addons"]}
    # Acme's seed: phone credits renew, the export pack was bought with auto-renew then turned off.
    assert addons["phone"]["auto_renew"] and not addons["export"]["auto_renew"]
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_on_plan_billing(pilot, "billing-details")
        assert isinstance(app.screen, BillingDetailsScreen)
        text = dialog_text(app)
    subtotal = plan_price(admin, "business", "year", 10) + renewing_packs_price(admin)
    with_french_vat = subtotal * 120 // 100  # 20 % of a whole number of euros: exact
    assert "Plan Business · annual" in text
    assert "Licenses 10 (8 used · 2 free)" in text
    assert "Current period 17 Aug 2026 – 17 Aug 2027" in text
    assert f"Next renewal 17 Aug 2027: {format_money(with_french_vat)} (VAT 20 % applies)" in text
    assert "Phone credits 500 a month, renews on 17 Dec 2026" in text
    assert "Export credits 10,000, ends on 17 Dec 2026 (auto-renew off)" in text
    assert "Acme Corp Alice Martin · billing@acme.example 12 rue de la Paix, 75002 Paris, FR" in text
    assert "VAT number FR40303265045 (valid)" in text
    assert "Visa •••• 4242, expires 12/2029" in text


async def test_a_reverse_charged_monthly_plan_without_packs(live_server: LiveServer, globex: httpx.Client) -> None:
    app = app_for(live_server.url, GLOBEX_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await open_modal(pilot)
    renewal = format_money(plan_price(globex, "starter", "month", 3))
    assert "Plan Starter · monthly" in text
    assert f"Next renewal 7 Dec 2026: {renewal} (reverse charge, 0 % VAT)" in text
    assert "Add-ons none" in text
    assert "VAT number DE136695976 (valid)" in text
    assert "Mastercard •••• 4444" in text


async def test_a_scheduled_seat_reduction_is_what_the_renewal_bills(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    quote = admin.post("/v1/quotes", json={"seats": 9}).json()
    checkout = admin.post(
        "/v1/checkouts",
        json={"quote_id": quote["id"], "payment_method_id": "pm_000001"},
        headers={"Idempotency-Key": "fewer-seats"},
    ).json()
    assert admin.get(f"/v1/checkouts/{checkout['id']}").json()["status"] == "succeeded"
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await open_modal(pilot)
    subtotal = plan_price(admin, "business", "year", 9) + renewing_packs_price(admin)
    assert "Licenses 10 (8 used · 2 free)" in text, "the seats stay until the period ends"
    assert "Scheduled Business · annual, 9 licenses from 17 Aug 2027" in text
    assert f"Next renewal 17 Aug 2027: {format_money(subtotal * 120 // 100)}" in text


async def test_escape_and_close_both_close_it(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_modal(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BillingDetailsScreen)
        await open_modal(pilot)
        await pilot.click("#close")
        await pilot.pause()
        assert not isinstance(app.screen, BillingDetailsScreen)


async def test_a_short_terminal_scrolls_to_the_card_with_close_in_view(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 16)) as pilot:
        text = await open_modal(pilot)
        assert "Visa •••• 4242" not in text and "Close" in text
        await pilot.press("end")
        await pilot.pause()
        text = dialog_text(app)
    assert "Visa •••• 4242, expires 12/2029" in text and "Close" in text



async def test_billing_details_are_edited_on_their_own_validated_as_in_checkout(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    """Issue 12: Billing details → Edit, with the postal-code rule of the country and the VAT check."""
    before = admin.get("/v1/billing_details").json()
    cards_before = admin.get("/v1/payment_methods").json()
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_modal(pilot)
        await press(pilot, "#edit-billing-details", BillingDetailsScreen)
        await until(pilot, lambda: isinstance(app.screen, BillingFormScreen), "the form")
        assert not app.screen.query_one("#card-column").display  # the details alone, no card
        fill(app, city="Lyon", postal_code="6900", vat_number="FR123")
        await press(pilot, "#submit", BillingFormScreen)
        # Refused before anything is sent, each reason beside its field.
        assert error_of(app, "postal-code") and error_of(app, "vat-number")
        assert admin.get("/v1/billing_details").json() == before
        fill(app, postal_code="69002", vat_number=before["vat_number"])
        await press(pilot, "#submit", BillingFormScreen)
        await until(pilot, lambda: isinstance(app.screen, BillingDetailsScreen), "the details again")
        await settle(pilot)
        assert "69002 Lyon" in shown(app, "#details-billed-to")
    saved = admin.get("/v1/billing_details").json()
    assert (saved["address"]["city"], saved["address"]["postal_code"]) == ("Lyon", "69002")
    assert admin.get("/v1/payment_methods").json() == cards_before


async def test_upcoming_charges_are_listed_and_agree_with_the_invoices_issued_as_time_passes(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    """Issue 12: the next charges with dates and amounts, then the server's clock moved past the
    first one: the invoice it issued is that charge, and the list moves on."""
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_modal(pilot)
        listed = upcoming_words(app)
        assert "Add-on packs every month from 17 Dec 2026 €240.00" in listed
        assert "17 Aug 2027 Renewal: Business (annual), 10 seats €11,616.00" in listed
        await pilot.press("escape")
        # 20 days later: past 17 Dec 2026, the first charge.
        admin.post("/v1/test_helpers/advance_clock", json={"days": 20}).raise_for_status()
        [issued] = admin.get("/v1/invoices", params={"status": "paid", "limit": 1}).json()["data"]
        assert (issued["created"][:10], issued["total"]) == ("2026-12-17", 24000)
        await pilot.press("r")
        await settle(pilot)
        await open_modal(pilot)
        assert "17 Dec 2026" not in upcoming_words(app)
        assert "Add-on packs every month from 17 Jan 2027 €240.00" in upcoming_words(app)


@pytest.mark.parametrize("kept", [False, True], ids=["first-start", "last-known-dashboard"])
async def test_before_the_bundled_server_answers_the_window_says_why_it_cannot_open_yet(
    live_server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: bool
) -> None:
    """`ready_for_admin` (cards, update payment, billing details) while the app is starting its
    bundled server: there is no client yet, so nothing the window needs (Edit, the upcoming charges)
    can be asked. With the last known dashboard on screen, "not loaded" would not be true: it says
    the server is still starting."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    settings = Settings(api_url=None, api_key=DEMO_ADMIN_KEY, config_path=tmp_path / "config.toml")
    if kept:
        async with BillingClient(live_server.url, DEMO_ADMIN_KEY, max_retries=0) as client:
            save_last_known(settings, await fetch_account(client, now=datetime.now().astimezone()))
    app = KasprApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.client is None  # the bundled server is still starting
        open_billing_details(app)
        await pilot.pause()
        told = [notice.message for notice in app._notifications]
        assert not isinstance(app.screen, BillingDetailsScreen)
        await settle(pilot)
        assert app.client is not None
        open_billing_details(app)
        await settle(pilot)
        opened = isinstance(app.screen, BillingDetailsScreen)
    expected = ("The billing server is still starting; try again in a moment." if kept
                else "The account is not loaded yet; try again in a moment.")
    assert told == [expected]
    assert opened
