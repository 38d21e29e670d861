"""Customers' requests to support (admin and member keys), filed against the bundled server:
an email change (refused by the email rule first, then sent), a transfer when changing jobs,
a deletion asked only after a confirmation, and a retry after a lost answer that files once."""

from __future__ import annotations

from pathlib import Path

import httpx

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, LiveServer
from tests.helpers.app import FAST_CLIENT, app_for, app_over
from tests.helpers.forms import type_into
from tests.helpers.http import LoseFirstAnswer, newest_event, tickets
from tests.helpers.pages import open_page
from tests.helpers.screen import screen_text, shown
from tests.helpers.waiting import settle

NOT_AN_EMAIL = "Enter an email address like name@company.com."


def status(pilot, form: str) -> str:
    return shown(pilot.app, f"#request-{form}-status")


async def test_email_change_is_checked_then_filed_as_a_ticket_in_the_workspace_feed(
    live_server: LiveServer, server_settings: ServerSettings, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        await type_into(pilot, "#request-new-email", "bastien@acme")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen.query_one("#request-new-email-error").display
        assert NOT_AN_EMAIL in screen_text(pilot.app)
        assert tickets(server_settings.db_path) == []

        await type_into(pilot, "#request-new-email", "b.moreau@acme.example")
        await pilot.click("#request-email-change")
        await settle(pilot)
        assert NOT_AN_EMAIL not in screen_text(pilot.app)
        [ticket] = tickets(server_settings.db_path)
        assert (ticket["kind"], ticket["new_email"]) == ("change_email", "b.moreau@acme.example")
        assert "bastien@acme.example" in ticket["message"]  # says whose address to change
        assert f"ticket {ticket['id']} (open)" in status(pilot, "email-change")
    event = newest_event(admin)
    assert (event["type"], event["actor"]) == ("support.request_created", "bastien@acme.example")
    assert event["data"] == {"support_request": ticket["id"], "kind": "change_email"}


async def test_changing_jobs_asks_for_a_transfer_to_the_new_account_with_the_message(
    live_server: LiveServer, server_settings: ServerSettings
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        await type_into(pilot, "#request-transfer-email", "alice@initech.example")
        await type_into(pilot, "#request-transfer-message", "Starting on Monday")
        await pilot.press("enter")
        await settle(pilot)
        [ticket] = tickets(server_settings.db_path)
        assert f"ticket {ticket['id']} (open)" in status(pilot, "transfer")
        # The article's second option needs no request: the page only explains it.
        options = app.screen.query_one("#support-changing-jobs").query(".option")
        assert "Continue logging into your current Kaspr account" in str(options.last().render())
    assert (ticket["kind"], ticket["new_email"]) == ("account_transfer", "alice@initech.example")
    assert "alice@acme.example" in ticket["message"] and "Starting on Monday" in ticket["message"]


async def test_deleting_the_account_asks_support_only_after_a_confirmation(
    live_server: LiveServer, server_settings: ServerSettings
) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        pilot.app.screen.query_one("#request-delete").focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert "Delete your account?" in screen_text(pilot.app)
        assert "also deletes your subscription" in screen_text(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        assert tickets(server_settings.db_path) == []

        await pilot.press("enter")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        [ticket] = tickets(server_settings.db_path)
        assert ticket["kind"] == "delete_account" and "bastien@acme.example" in ticket["message"]
        assert f"ticket {ticket['id']}" in status(pilot, "delete")


async def test_sending_again_after_a_lost_answer_files_one_ticket(
    live_server: LiveServer, server_settings: ServerSettings, tmp_path: Path
) -> None:
    transport = LoseFirstAnswer("/v1/support_requests", httpx.ReadTimeout)  # it timed out after the server filed it
    app = app_over(live_server.url, MEMBER_KEY, transport, **FAST_CLIENT)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        await type_into(pilot, "#request-new-email", "b.moreau@acme.example")
        await pilot.press("enter")
        await settle(pilot)
        assert "did not answer" in status(pilot, "email-change")
        await pilot.press("enter")  # the person tries again
        await settle(pilot)
        [ticket] = tickets(server_settings.db_path)
        assert f"ticket {ticket['id']}" in status(pilot, "email-change")
    assert len(transport.keys) == 2 and transport.keys[0] == transport.keys[1]


async def test_enter_pressed_twice_sends_one_request(
    live_server: LiveServer, server_settings: ServerSettings
) -> None:
    """Issue 12, defect 8: one action, one key, one ticket, whether the second Enter lands while the
    first is being sent or after it was."""
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        await type_into(pilot, "#request-new-email", "b.moreau@acme.example")
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [ticket] = tickets(server_settings.db_path)
        assert f"ticket {ticket['id']}" in status(pilot, "email-change")
        assert "already" in status(pilot, "email-change")
