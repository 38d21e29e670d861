"""Manage licenses from Plan & Billing and from the Workspace, end to end against the bundled
server (Acme Corp: Business annual, 10 licenses, 7 members and 1 pending invitation)."""

from __future__ import annotations

import httpx

from kaspr_tui.billing.money import format_money
from kaspr_tui.screens.billing.licenses import LicensesScreen
from kaspr_tui.screens.billing.page import BillingScreen
from kaspr_tui.screens.billing.plan import open_licenses
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.screens.workspace.page import WorkspaceScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.widgets.seat_counter import SeatCounter
from tests.helpers.app import FAST_CLIENT, app_for, app_over
from tests.helpers.http import BrokenOn, invoice_count, server_quote, subscription
from tests.helpers.pages import open_dialog, pay_with_saved_card, press
from tests.helpers.screen import screen_text, shown
from tests.helpers.waiting import priced, settle, until


def counter(app) -> SeatCounter:
    return app.screen.query_one("#seat-counter", SeatCounter)


async def open_licenses_dialog(pilot) -> None:
    await open_dialog(pilot, "#licenses-add", LicensesScreen)


async def test_seats_equal_the_counters_value(live_server: LiveServer, admin: httpx.Client) -> None:
    today = subscription(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_licenses_dialog(pilot)
        assert counter(app).value == today["seats"]
        await pilot.press("plus", "plus", "plus")
        wanted = counter(app).value
        assert wanted == today["seats"] + 3
        price = await priced(pilot)
        quote = server_quote(admin, {"seats": wanted})
        assert f"Total due now {format_money(quote['total_due_now'])}" in price
        await press(pilot, "#continue", LicensesScreen)
        await pay_with_saved_card(pilot)
        await until(pilot, lambda: isinstance(app.screen, BillingScreen), "the dialog to close")
        await settle(pilot)
        after = subscription(admin)
        assert after["seats"] == wanted
        assert after["seats_available"] == today["seats_available"] + 3
        assert after["scheduled_change"] is None
        assert f"Licenses  {wanted} (" in screen_text(app)


async def test_the_lower_bound_is_members_plus_invitations_and_says_why(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    today = subscription(admin)
    floor = today["members"] + today["pending_invitations"]
    # The server's own rule: one below the floor is refused.
    assert server_quote(admin, {"seats": floor - 1})["error"]["code"] == "seats_below_members"
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_licenses_dialog(pilot)
        await pilot.press(*["minus"] * (today["seats"] - floor))
        assert counter(app).value == floor
        assert "remove members" not in screen_text(app)  # no reason until pushed against the bound
        await pilot.press("minus")
        await pilot.pause()
        assert counter(app).value == floor
        assert "Acme Corp has 7 members and 1 pending invitation: remove members" in screen_text(app)


async def test_the_upper_bound_is_the_plans_maximum(live_server: LiveServer, admin: httpx.Client) -> None:
    business = next(plan for plan in admin.get("/v1/catalog").json()["plans"] if plan["id"] == "business")
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_licenses_dialog(pilot)
        await pilot.press(*str(business["max_seats"] + 50), "enter")
        await pilot.pause()
        assert counter(app).value == business["max_seats"]
        assert f"The Business plan allows at most {business['max_seats']} users" in screen_text(app)


async def test_fewer_seats_are_scheduled_for_the_period_end(live_server: LiveServer, admin: httpx.Client) -> None:
    today = subscription(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_licenses_dialog(pilot)
        await pilot.press("minus", "minus")
        price = await priced(pilot)
        assert "Nothing to pay now: 8 licenses from 17 Aug 2027" in price
        await press(pilot, "#continue", LicensesScreen)
        await pay_with_saved_card(pilot)
        await until(pilot, lambda: isinstance(app.screen, BillingScreen), "the dialog to close")
    after = subscription(admin)
    assert after["seats"] == today["seats"]  # nothing changes before the period ends
    change = after["scheduled_change"]
    assert change is not None
    assert (change["seats"], change["effective_at"]) == (8, today["current_period_end"])


async def test_a_waiting_change_is_named_before_a_license_change_replaces_it(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    # Acme schedules a move to Starter at the period end (a downgrade: nothing to pay now).
    card = next(card for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
    quote = server_quote(admin, {"plan": "starter"})
    admin.post(
        "/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": card["id"]},
        headers={"Idempotency-Key": "schedule-starter"},
    ).raise_for_status()
    waiting = subscription(admin)["scheduled_change"]
    assert waiting is not None and waiting["plan"] == "starter"
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_licenses_dialog(pilot)
        scheduled = shown(app, "#scheduled-note")
        assert "Already scheduled: Changes to Starter (annual) × 10 seats on 17 Aug 2027" in scheduled
        assert "replaces it" in shown(app, "#scheduled-note")
        await pilot.press("plus")
        await priced(pilot)
        await press(pilot, "#continue", LicensesScreen)
        await pay_with_saved_card(pilot)
        await until(pilot, lambda: isinstance(app.screen, BillingScreen), "the dialog to close")
    after = subscription(admin)
    assert (after["seats"], after["scheduled_change"]) == (11, None)  # as the note said


async def test_the_same_count_as_today_cannot_continue(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_licenses_dialog(pilot)
        assert app.screen.query_one("#continue").disabled
        assert "10 licenses, as today: choose more or fewer" in shown(app, "#quote-total")
        await pilot.press("plus")
        await priced(pilot)
        assert not app.screen.query_one("#continue").disabled
        await pilot.press("minus")
        await pilot.pause()
        assert app.screen.query_one("#continue").disabled
        assert "as today" in shown(app, "#quote-total")


async def test_escape_changes_nothing(live_server: LiveServer, admin: httpx.Client) -> None:
    today, invoices = subscription(admin), invoice_count(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_licenses_dialog(pilot)
        await pilot.press("plus", "plus")
        await priced(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BillingScreen)
    assert subscription(admin) == today
    assert invoice_count(admin) == invoices


async def test_a_full_workspace_adds_licenses_in_place_then_invites(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    for email in ("one@acme.example", "two@acme.example"):
        admin.post("/v1/invitations", json={"email": email, "role": "member"}).raise_for_status()
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("a")  # Add a member, with no free seat: the offer to add licenses
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the offer")
        await press(pilot, "#confirm", ConfirmScreen)
        await until(pilot, lambda: isinstance(app.screen, LicensesScreen), "the licenses dialog")
        assert app.current_mode == "workspace"
        await pilot.pause()
        await pilot.press("plus")
        await priced(pilot)
        await press(pilot, "#continue", LicensesScreen)
        await pay_with_saved_card(pilot)
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen), "back on the Workspace")
        await settle(pilot)
        assert subscription(admin)["seats_available"] == 1
        assert "1 free" in screen_text(app)


async def test_open_licenses_goes_to_plan_and_billing_with_the_dialog(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_licenses(app)
        await until(pilot, lambda: isinstance(app.screen, LicensesScreen), "the licenses dialog")
        assert app.current_mode == "billing"
        assert app.screen_stack[0].query_one("#billing-tabs").active == "plan-billing"


async def test_a_price_that_fails_unexpectedly_says_so_instead_of_updating_forever(live_server: LiveServer) -> None:
    app = app_over(live_server.url, ADMIN_KEY, BrokenOn("/v1/quotes"), **FAST_CLIENT)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_licenses_dialog(pilot)
        await pilot.press("plus")
        total = await priced(pilot)
        assert "could not be priced" in total and "RuntimeError" in total
        assert app.screen.query_one("#continue").disabled
