"""Workspace mode against the bundled server: invite, revoke, remove, the last admin, roles, paging.

Each change is checked where it lands: in the API (the `admin` client), and on screen.
"""

from __future__ import annotations

import httpx
import pytest
from textual.app import App
from textual.widgets import Button, DataTable, Input

from kaspr_tui.api import BillingClient
from kaspr_tui.screens.billing.licenses import LicensesScreen
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.screens.workspace.invite import InviteMemberScreen
from kaspr_tui.server.bulk_seed import add_members, workspace_id_named
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.http import api_emails, seats_available
from tests.helpers.pages import open_page
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle

NEW_EMAIL = "ines@acme.example"
"""Acme Corp has 10 licenses, 7 members and 1 pending invitation: 2 are free for her."""


def members_on_screen(app: App[None]) -> DataTable[str]:
    return app.screen.query_one("#members", DataTable)


async def open_invite_form(pilot) -> InviteMemberScreen:
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, InviteMemberScreen)
    return pilot.app.screen


async def type_email(pilot, email: str) -> None:
    pilot.app.screen.query_one("#invite-email", Input).value = email
    await pilot.click("#send-invite")
    await settle(pilot)


# ---- adding a member --------------------------------------------------------------------------


async def test_an_invited_email_is_in_the_member_list_and_takes_a_free_seat(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        assert "2 free" in screen_text(app)
        await open_invite_form(pilot)
        await pilot.press(*NEW_EMAIL)
        await pilot.press("tab", "right", "enter")  # the role: Admin
        await pilot.click("#send-invite")
        await settle(pilot)

        assert not isinstance(app.screen, InviteMemberScreen)
        assert api_emails(admin)[NEW_EMAIL] == "invited"
        invited = next(m for m in admin.get("/v1/members").json()["data"] if m["email"] == NEW_EMAIL)
        assert invited["role"] == "admin"
        assert seats_available(admin) == 1
        text = screen_text(app)
        assert NEW_EMAIL in text and "9 of 10 used · 1 free" in text
        assert members_on_screen(app).row_count == 9


async def test_the_add_member_button_and_enter_work_with_the_mouse_and_the_field(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_page(pilot, "w")
        await pilot.click("#add-member")
        await pilot.pause()
        assert isinstance(app.screen, InviteMemberScreen)
        await pilot.press(*NEW_EMAIL, "enter")
        await settle(pilot)
        assert api_emails(admin)[NEW_EMAIL] == "invited"


async def test_a_bad_email_is_refused_on_screen_and_nothing_is_sent(
    live_server: LiveServer, admin: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[object] = []

    async def invite_spy(self: BillingClient, request: object, **options: object) -> None:
        sent.append(request)

    monkeypatch.setattr(BillingClient, "invite", invite_spy)
    before = api_emails(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await open_invite_form(pilot)
        await type_email(pilot, "ines@acme")
        assert isinstance(app.screen, InviteMemberScreen)
        assert "Enter an email address like name@company.com." in screen_text(app)
    assert sent == []
    assert api_emails(admin) == before


async def test_a_duplicate_gets_the_server_message_next_to_the_field(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await open_invite_form(pilot)
        await type_email(pilot, "Bastien@acme.example")
        assert isinstance(app.screen, InviteMemberScreen)
        error = app.screen.query_one("#invite-email-error")
        assert error.display and "is already a member of this workspace" in str(error.render())
        assert not app.screen.query_one("#invite-add-licenses").display
    assert seats_available(admin) == 2


async def test_no_free_seat_at_send_time_shows_the_server_message_and_offers_licenses(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await open_invite_form(pilot)  # the page still says 2 free…
        for email in ("one@acme.example", "two@acme.example"):  # …as someone else fills them
            admin.post("/v1/invitations", json={"email": email, "role": "member"}).raise_for_status()
        await type_email(pilot, NEW_EMAIL)

        assert isinstance(app.screen, InviteMemberScreen)
        assert "All 10 licenses are taken" in screen_text(app)
        assert NEW_EMAIL not in api_emails(admin)
        await pilot.click("#invite-add-licenses")
        await settle(pilot)
        assert isinstance(app.screen, LicensesScreen)  # the licenses dialog, over the Workspace
        assert app.current_mode == "workspace"


async def test_with_no_free_seat_add_member_offers_licenses_instead(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    for email in ("one@acme.example", "two@acme.example"):
        admin.post("/v1/invitations", json={"email": email, "role": "member"}).raise_for_status()
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        assert "10 of 10 used · 0 free" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert not app.screen.query("#invite-email")
        assert "No free seat: add licenses first" in screen_text(app)
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, LicensesScreen)  # the licenses dialog, over the Workspace
        assert app.current_mode == "workspace"


# ---- removing ------------------------------------------------------------------------------------


async def test_revoking_an_invitation_asks_first_and_frees_its_seat(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.press("home", "x")  # the newest row: Hugo's invitation
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "hugo@acme.example" in screen_text(app)
        assert "Its license becomes free" in app.screen.message
        await pilot.press("escape")
        await settle(pilot)
        assert api_emails(admin)["hugo@acme.example"] == "invited"
        assert seats_available(admin) == 2

        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert "hugo@acme.example" not in api_emails(admin)
        assert seats_available(admin) == 3
        text = screen_text(app)
        assert "hugo@acme.example" not in text and "7 of 10 used · 3 free" in text


async def test_removing_a_member_asks_first_and_frees_their_seat(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.press("end", "up")  # the second oldest: Bastien
        assert app.screen.query_one("#remove-member", Button).label.plain == "Remove"
        await pilot.click("#remove-member")
        await pilot.pause()
        assert "Bastien Moreau (bastien@acme.example)" in screen_text(app)
        await pilot.click("#cancel")
        await settle(pilot)
        assert api_emails(admin)["bastien@acme.example"] == "active"

        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("right", "enter")  # focus starts on Cancel: move to Remove member
        await settle(pilot)
        assert "bastien@acme.example" not in api_emails(admin)
        assert seats_available(admin) == 3
        assert "bastien@acme.example" not in screen_text(app)


async def test_the_last_admin_cannot_be_removed_and_the_server_says_why(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.press("end", "x")  # the oldest: Alice, the only admin
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        note = app.screen.query_one("#members-note")
        assert note.display and "Alice Martin is the only admin of this workspace" in str(note.render())
    assert api_emails(admin)["alice@acme.example"] == "active"
    assert seats_available(admin) == 2


# ---- roles ---------------------------------------------------------------------------------------


async def test_a_member_reads_the_list_and_is_offered_nothing_to_change(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        assert members_on_screen(app).row_count == 8
        assert not app.screen.query_one("#add-member").display
        assert not app.screen.query_one("#remove-member").display
        text = screen_text(app)
        assert "Add member" not in text and "Remove" not in text and "x remove" not in text
        await pilot.press("a", "x", "delete")
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmScreen, InviteMemberScreen))
    assert len(api_emails(admin)) == 8


# ---- a big workspace -----------------------------------------------------------------------------


async def test_a_big_workspace_loads_page_by_page_and_end_reaches_the_last_member(
    live_server: LiveServer,
) -> None:
    context = live_server.context
    add_members(context, workspace_id_named(context, "Acme Corp"), 442)  # 450 rows: 5 pages
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        table = members_on_screen(app)
        assert table.row_count == 100  # the first page only
        assert "100 of 450 shown" in screen_text(app)

        table.scroll_end(animate=False)  # as the mouse wheel would: the view nears the end
        await settle(pilot)
        assert table.row_count == 200
        assert table.cursor_row == 0  # scrolling the view does not move the selection

        while table.row_count == 200 and table.cursor_row < 199:  # PageDown through what is loaded…
            await pilot.press("pagedown")
            await settle(pilot)
        assert table.row_count == 300 and table.cursor_row < 199  # …gets the next page before its end

        await pilot.press("end")  # walks the two pages left
        await settle(pilot)
        assert table.row_count == 450
        assert table.cursor_row == 449
        text = screen_text(app)
        assert "alice@acme.example" in text  # the oldest member, last in the list
        assert "shown" not in text
