"""A scheduled downgrade on the dashboard: shown to everyone, cancelled by an admin through a confirm."""

from __future__ import annotations

import httpx
from textual.widgets import Button

from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle

SCHEDULED_WORDS = "Changes to Starter (monthly) × 8 seats on 17 Aug 2027"


def plan_panel(app) -> str:
    """The plan panel's words, as given (the panel wraps them to its width)."""
    return str(app.screen.query_one("#plan-summary").render())


def schedule_downgrade(admin: httpx.Client) -> None:
    """Starter, monthly, 8 seats at the period end (17 Aug 2027): paid through the API, nothing due now."""
    quote = admin.post("/v1/quotes", json={"plan": "starter", "interval": "month", "seats": 8}).raise_for_status()
    card = next(card for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
    checkout = admin.post(
        "/v1/checkouts",
        json={"quote_id": quote.json()["id"], "payment_method_id": card["id"]},
        headers={"Idempotency-Key": "schedule-downgrade-1"},
    ).raise_for_status()
    assert checkout.json()["status"] == "succeeded"


async def test_admin_sees_the_scheduled_change_and_cancels_it_after_confirming(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    schedule_downgrade(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert SCHEDULED_WORDS in plan_panel(app)
        assert "Cancel change" in screen_text(app).splitlines()[-1]  # the footer offers the key
        assert app.screen.query_one("#cancel-scheduled-change", Button).display

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # changed my mind: nothing happens
        await settle(pilot)
        assert admin.get("/v1/subscription").json()["scheduled_change"] is not None

        await pilot.click("#cancel-scheduled-change")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert admin.get("/v1/subscription").json()["scheduled_change"] is None
        assert SCHEDULED_WORDS not in plan_panel(app)
        assert "Cancel change" not in screen_text(app).splitlines()[-1]
        assert not app.screen.query_one("#cancel-scheduled-change", Button).display


async def test_a_member_sees_the_scheduled_change_but_cannot_cancel_it(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    schedule_downgrade(admin)
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert SCHEDULED_WORDS in plan_panel(app)
        assert not app.screen.query_one("#cancel-scheduled-change", Button).display
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)


async def test_a_long_activity_line_is_shown_whole_wrapped_under_itself(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    """At 80 columns the longer events were cut with "…" and could not be read (issue 13 defect 8)."""
    email = "alexandra.konstantinopoulou@research.acme.example"
    admin.post("/v1/invitations", json={"email": email, "role": "member"}).raise_for_status()
    [event] = admin.get("/v1/events", params={"limit": 1}).raise_for_status().json()["data"]
    description = event["description"]
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        inner = app.screen.query_one("#activity").content_region  # the rows on screen
        lines = app.screen.query_one("#events").region  # the columns the lines are drawn in
        rows = screen_text(app).splitlines()[inner.y : inner.bottom]
        shown = [row[lines.x : lines.right] for row in rows]
        assert len(description) > lines.width - 12  # too long for one row beside its date
        first = next(index for index, row in enumerate(shown) if email in row)
        date_column = shown[first].index(email)
        assert shown[first][:date_column].strip()  # the date, left of the words
        assert not shown[first + 1][:date_column].strip()  # the rest hangs under the words, not the date
        joined = " ".join(row[date_column:].strip() for row in shown[first : first + 2])
        assert joined == description and "…" not in joined
