"""The support console against the bundled server: an account looked up (and never a card), a
transfer of a license and credits confirmed with both sides before and after and moving exactly
what was asked, an email change, and no console for the customers' keys (nor the API's answer).

Seed: Acme Corp is on Business (annual, 10 licenses) and pays with a Visa ending 4242; Globex is
on Starter (monthly, 3 licenses). David Chen moves from david@acme.example (Acme) to
david.chen@globex.example (Globex).
"""

from __future__ import annotations

import httpx
import pytest

from kaspr_tui.billing.catalog import PLANS
from kaspr_tui.billing.formatting import format_count
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.forms import type_into
from tests.helpers.http import ACME, DAVID_NEW, DAVID_OLD, GLOBEX, figures, newest_event
from tests.helpers.screen import drawn, screen_text, showing
from tests.helpers.waiting import settle

MOVED = {"phone": 150, "direct_email": 0, "export": 1000}


async def look_up(pilot, email: str) -> None:
    await settle(pilot)
    await pilot.press("slash")
    await type_into(pilot, "#lookup-email", email)
    await pilot.press("enter")
    await settle(pilot)


async def test_lookup_shows_the_account_its_invoices_and_activity_and_no_card(
    live_server: LiveServer, support: httpx.Client, admin: httpx.Client
) -> None:
    seats, credits = figures(support, ACME)
    invoices = admin.get("/v1/invoices", params={"limit": 1}).json()["data"]
    event = newest_event(admin)
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(120, 60)) as pilot:
        await look_up(pilot, "alice@acme.example")
        text = screen_text(pilot.app)
        assert "Alice Martin <alice@acme.example>" in text
        assert "Admin of Acme Corp" in text and "Business · annual" in text
        assert f"of {seats} used" in text
        for balance in credits.values():
            assert f"{format_count(balance['remaining'])} left, {format_count(balance['used'])} used" in text
        assert invoices[0]["number"] in text
        assert event["description"][:40] in text
        assert "4242" not in text and "Visa" not in text  # the card on file is not support's to see


async def test_an_unknown_email_is_said_beside_the_field(live_server: LiveServer) -> None:
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await look_up(pilot, "nobody@nowhere.example")
        assert pilot.app.screen.query_one("#lookup-email-error").display
        assert not pilot.app.screen.query_one("#console-account").display


async def fill_transfer(pilot, *, license: bool, credits: dict[str, int], reason: str) -> None:
    """The transfer dialog opened from the account on screen, filled in and reviewed."""
    await pilot.press("escape", "t")
    await settle(pilot)
    await type_into(pilot, "#transfer-to", DAVID_NEW)
    if license:
        pilot.app.screen.query_one("#transfer-license").focus()
        await pilot.press("space")
    for credit_type, quantity in credits.items():
        await type_into(pilot, f"#transfer-{credit_type}", str(quantity))
    await type_into(pilot, "#transfer-reason", reason)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_transfer_moves_the_license_and_exactly_the_credits_asked_and_both_feeds_say_so(
    live_server: LiveServer, support: httpx.Client
) -> None:
    acme_seats, acme_before = figures(support, ACME)
    globex_seats, globex_before = figures(support, GLOBEX)
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await look_up(pilot, DAVID_OLD)
        await fill_transfer(pilot, license=True, credits=MOVED, reason="David moved to Globex")
        # The confirmation: both sides now and after; nothing has moved yet.
        preview = drawn(pilot.app, "#transfer-preview")
        assert f"{acme_seats} → {acme_seats - 1}" in preview and f"{globex_seats} → {globex_seats + 1}" in preview
        phone_now = acme_before["phone"]["remaining"]
        assert f"{format_count(phone_now)} → {format_count(phone_now - MOVED['phone'])}" in preview
        assert figures(support, ACME)[0] == acme_seats
        await pilot.click("#transfer-confirm")
        await settle(pilot)
        status = drawn(pilot.app, "#lookup-status")
        result = drawn(pilot.app, "#transfer-result")
        account = drawn(pilot.app, "#lookup-account")

    acme_seats_after, acme_after = figures(support, ACME)
    globex_seats_after, globex_after = figures(support, GLOBEX)
    assert (acme_seats_after, globex_seats_after) == (acme_seats - 1, globex_seats + 1)
    for credit_type, quantity in MOVED.items():
        assert acme_after[credit_type]["remaining"] == acme_before[credit_type]["remaining"] - quantity
        # Globex gets what was moved, plus its plan's credits for the license it gained.
        granted = globex_after[credit_type]["included"] - globex_before[credit_type]["included"]
        assert granted == PLANS["starter"].included[credit_type]
        assert globex_after[credit_type]["remaining"] == globex_before[credit_type]["remaining"] + quantity + granted
    out_event, in_event = newest_event(support, ACME), newest_event(support, GLOBEX)
    assert (out_event["type"], in_event["type"]) == ("support.transfer_out", "support.transfer_in")
    assert out_event["data"]["reason"] == in_event["data"]["reason"] == "David moved to Globex"
    transfer_id = out_event["data"]["transfer"]
    assert transfer_id in status and f"{DAVID_OLD} is in no workspace now" in status
    # What the confirmation promised is what happened, the new license's credits included.
    for credit_type in MOVED:
        promised = f"{format_count(globex_before[credit_type]['remaining'])} → "
        assert promised + format_count(globex_after[credit_type]["remaining"]) in preview
    # After: both workspaces read again.
    export_after = acme_after["export"]["remaining"]
    assert f"{acme_seats} → {acme_seats_after}" in result and f"→ {format_count(export_after)}" in result
    assert DAVID_NEW in account and "Member of Globex" in account


async def test_a_refused_transfer_is_said_beside_the_field_and_moves_nothing(
    live_server: LiveServer, support: httpx.Client
) -> None:
    before = figures(support, ACME), figures(support, GLOBEX)
    phone_left = before[0][1]["phone"]["remaining"]
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await look_up(pilot, DAVID_OLD)
        await fill_transfer(pilot, license=False, credits={"phone": phone_left + 1}, reason="Too many")
        assert pilot.app.screen.query_one("#transfer-phone-error").display
        assert f"Only {format_count(phone_left)} phone credits left" in screen_text(pilot.app)
        assert not pilot.app.screen.query_one("#transfer-confirmation").display
    assert (figures(support, ACME), figures(support, GLOBEX)) == before


async def change_email_to(pilot, new_email: str) -> None:
    await type_into(pilot, "#email-change-new", new_email)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.click("#confirm")
    await settle(pilot)


async def test_an_email_change_applies_after_confirming_and_the_server_refuses_a_taken_address(
    live_server: LiveServer, support: httpx.Client, api
) -> None:
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await look_up(pilot, "bastien@acme.example")
        await pilot.press("escape", "e")
        await change_email_to(pilot, "alice@acme.example")
        assert "Another account already uses this email address." in drawn(pilot.app, "#email-change-new-error")
        await change_email_to(pilot, "b.moreau@acme.example")
        assert "Bastien Moreau <b.moreau@acme.example>" in drawn(pilot.app, "#lookup-account")
    assert api(MEMBER_KEY).get("/v1/me").json()["user"]["email"] == "b.moreau@acme.example"
    event = newest_event(support, ACME)
    assert (event["type"], event["actor"]) == ("user.email_changed", "sofia@kaspr.example")


async def test_palette_entry_points_open_each_flow(live_server: LiveServer) -> None:
    customer = app_for(live_server.url, MEMBER_KEY)
    async with customer.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await customer.switch_mode("support")
        await customer.run_action("screen.request_email_change")
        await pilot.pause()
        assert customer.focused is customer.screen.query_one("#request-new-email")
        await customer.run_action("screen.request_account_transfer")
        await pilot.pause()
        assert customer.focused is customer.screen.query_one("#request-transfer-email")
    agent = app_for(live_server.url, SUPPORT_KEY)
    async with agent.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await agent.run_action("screen.lookup_account")
        await pilot.pause()
        assert agent.focused is agent.screen.query_one("#lookup-email")
        await agent.run_action("screen.transfer")
        await settle(pilot)
        assert "Transfer license and credits" in screen_text(pilot.app)
        assert agent.focused is agent.screen.query_one("#transfer-from")


@pytest.mark.parametrize("key", [ADMIN_KEY, MEMBER_KEY])
async def test_customers_get_no_console_and_the_api_refuses_them(
    live_server: LiveServer, support: httpx.Client, api, key: str
) -> None:
    app = app_for(live_server.url, key)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert not showing(pilot.app, "#support-console")
        await pilot.press("slash", "t")
        await settle(pilot)
        assert pilot.app.screen.id != "transfer" and "Transfer license and credits" not in screen_text(pilot.app)
        assert "Look up" not in screen_text(pilot.app)
    before = figures(support, ACME), figures(support, GLOBEX)
    customer = api(key)
    refused = [
        customer.get("/v1/support/accounts", params={"email": DAVID_OLD}),
        customer.post("/v1/support/transfers", json={
            "from_email": DAVID_OLD, "to_email": DAVID_NEW, "license": True, "credits": MOVED, "reason": "x"}),
        customer.post("/v1/support/email_changes", json={"user_email": DAVID_OLD, "new_email": "d@acme.example"}),
    ]
    for response in refused:
        assert (response.status_code, response.json()["error"]["code"]) == (403, "role_forbidden")
    assert (figures(support, ACME), figures(support, GLOBEX)) == before


async def test_the_transfer_dialog_sits_inside_the_console_s_frames_not_on_them(live_server: LiveServer) -> None:
    """At 80 columns the dialog's borders ran beside the panels' (issue 13 defect 8): a gap on each side."""
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await look_up(pilot, DAVID_OLD)
        panel = app.screen.query_one("#lookup-account").parent
        assert panel is not None
        await pilot.press("escape", "t")
        await settle(pilot)
        dialog = app.screen.query_one("#transfer-dialog").region
        frame = panel.region
        assert dialog.x - frame.x >= 2 and frame.right - dialog.right >= 2, (frame, dialog)
