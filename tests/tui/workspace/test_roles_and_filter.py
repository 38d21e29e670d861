"""Issue 13, defect 6 and the power-user conventions on Workspace: `m` makes a member an admin (or
an admin a member), `e` resends an invitation, `/` filters the members (and the invoices)."""

from __future__ import annotations

from dataclasses import replace

import httpx
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from kaspr_tui.app import KasprApp
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.screens.dialogs.keys import KeysScreen
from kaspr_tui.server.bulk_seed import add_members, workspace_id_named
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, LiveServer
from kaspr_tui.widgets.table_filter import TableFilter
from tests.helpers.app import app_for
from tests.helpers.pages import open_page, show_invoices
from tests.helpers.screen import notifications, screen_text, shown
from tests.helpers.waiting import settle, until
from tests.tui.test_palette import run_from_palette
from tests.tui.test_read_only import palette_titles, read_only_app
from tests.tui.workspace.test_members import open_invite_form


def roles(admin: httpx.Client) -> dict[str, str]:
    members = admin.get("/v1/members", params={"limit": 100}).json()["data"]
    return {member["email"]: member["role"] for member in members}


def resent_events(admin: httpx.Client) -> int:
    feed = admin.get("/v1/events", params={"limit": 100}).json()["data"]
    return [event["type"] for event in feed].count("invitation.resent")


def emails_on_screen(app: KasprApp) -> list[str]:
    table = app.screen.query_one("#members", DataTable)
    return [str(table.get_row_at(row)[1]) for row in range(table.row_count)]


async def select(pilot: Pilot[None], *keys: str) -> None:
    """Move the cursor in the members table, each key's effect in before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


# ---- roles -----------------------------------------------------------------------------------------


async def test_m_asks_first_starting_on_keep_then_makes_the_member_an_admin(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await select(pilot, "end", "up")  # Bastien, the second oldest
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Make Bastien Moreau (bastien@acme.example) an admin of Acme Corp?" in app.screen.message
        assert app.screen.focused is app.screen.query_one("#cancel")
        assert "Keep as member" in screen_text(app) and "Make admin" in screen_text(app)
        await pilot.press("enter")  # a reflexive Enter keeps him a member
        await settle(pilot)
        assert roles(admin)["bastien@acme.example"] == "member"

        await pilot.press("m")
        await pilot.pause()
        await pilot.press("right", "enter")
        await settle(pilot)
        assert roles(admin)["bastien@acme.example"] == "admin"
        bastien_row = next(line for line in screen_text(app).splitlines() if "bastien@acme.example" in line)
        assert " admin " in bastien_row
        assert any("Bastien Moreau (bastien@acme.example) is now an admin." in text for text in notifications(app))

        await pilot.press("m")  # and back: the dialog now offers to make him a member
        await pilot.pause()
        assert "Make Bastien Moreau a member?" in screen_text(app)
        await pilot.press("right", "enter")
        await settle(pilot)
        assert roles(admin)["bastien@acme.example"] == "member"


async def test_a_pending_invitation_can_be_made_one_for_an_admin(live_server: LiveServer, admin: httpx.Client) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.press("m")  # the newest row: Hugo's invitation
        await pilot.pause()
        assert "They become an admin when they accept it." in app.screen.message
        await pilot.press("right", "enter")
        await settle(pilot)
    assert roles(admin)["hugo@acme.example"] == "admin"


def with_role_key(url: str, keys: str) -> KasprApp:
    app = app_for(url, ADMIN_KEY)
    assert app.settings is not None
    app.settings = replace(app.settings, keymap={"workspace.change_role": keys})
    return app


async def test_the_last_admin_is_refused_and_told_which_key_makes_another_admin(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = with_role_key(live_server.url, "o")  # the key as the person's keymap has it
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await select(pilot, "end")  # Alice, the only admin, is the one signed in
        for key in ("o", "x"):  # making her a member, and removing her
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen), key
            await pilot.click("#confirm")
            await settle(pilot)
            note = shown(app, "#members-note")
            assert "Alice Martin is the only admin of this workspace" in note, key
            assert note.endswith("Select another member and press o to make them an admin."), key
    assert roles(admin)["alice@acme.example"] == "admin"


async def test_an_admin_asked_to_step_down_is_warned_it_is_themselves(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await select(pilot, "end")
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.message.startswith("Make yourself a member of Acme Corp? You will no longer manage billing")


async def test_an_admin_who_steps_down_is_offered_what_a_member_is_at_once(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    bastien = next(m["id"] for m in admin.get("/v1/members").json()["data"] if m["email"] == "bastien@acme.example")
    admin.patch(f"/v1/members/{bastien}", json={"role": "admin"}).raise_for_status()
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await select(pilot, "end")  # Alice, signed in
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("right", "enter")
        await settle(pilot)
        assert app.account.role == "member"
        assert "billing" not in app.allowed_modes
        assert not app.screen.query_one("#add-member").display
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    assert roles(admin)["alice@acme.example"] == "member"


# ---- resending ---------------------------------------------------------------------------------------


async def test_e_resends_the_selected_invitation_and_a_second_press_sends_nothing_more(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await select(pilot, "home", "e")  # Hugo's invitation
        assert "The invitation of hugo@acme.example was sent again." in notifications(app)
        await select(pilot, "e")
        assert (
            "The invitation of hugo@acme.example went out less than a minute ago, so it was not sent again."
            in notifications(app)
        )
        assert resent_events(admin) == 1

        await select(pilot, "down", "e")  # Giulia has joined: there is nothing to resend
        assert "giulia@acme.example has joined already: only a pending invitation can be resent." in notifications(app)
    assert resent_events(admin) == 1


# ---- who is offered what -------------------------------------------------------------------------------


async def test_question_mark_lists_role_resend_and_filter(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        text = "\n".join(str(static.render()) for static in app.screen.query(Static))
        for line in ("m                Make admin / make member", "e                Resend invitation",
                     "/                Filter"):
            assert line in text
        assert "table's filter" not in text  # the filter line is not open: its keys are not listed
        titles = palette_titles(app)
        assert {"Make admin / make member", "Resend an invitation", "Filter members"} <= titles


async def test_a_member_and_read_only_are_offered_neither_role_nor_resend(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = roles(admin), resent_events(admin)
    for app in (app_for(live_server.url, MEMBER_KEY), read_only_app(live_server.url, ADMIN_KEY)):
        async with app.run_test(size=(80, 24)) as pilot:
            await open_page(pilot, "w")
            titles = palette_titles(app)
            assert not {"Make admin / make member", "Resend an invitation"} & titles
            assert "Filter members" in titles  # reading is for everyone
            await pilot.press("m", "e")
            await settle(pilot)
            assert not isinstance(app.screen, ConfirmScreen)
            assert not notifications(app)
    assert (roles(admin), resent_events(admin)) == before


# ---- the filter --------------------------------------------------------------------------------------


async def test_slash_filters_the_members_as_you_type_and_escape_clears_it(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen.focused, TableFilter)
        await pilot.press(*"BAS")  # any case
        await settle(pilot)
        assert emails_on_screen(app) == ["bastien@acme.example"]
        assert shown(app, "#members-note") == "Filter: 1 of 8 members"

        await pilot.press(*"/d")  # typed into the filter: neither shortcut fires
        await settle(pilot)
        assert app.current_mode == "workspace" and app.screen.focused.value == "BAS/d"
        assert emails_on_screen(app) == []
        assert shown(app, "#members-note") == "Filter: no match among 8 members · Esc clears"

        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query_one(TableFilter).display
        assert app.screen.focused is app.screen.query_one("#members")
        assert len(emails_on_screen(app)) == 8
        assert not app.screen.query_one("#members-note").display


async def test_enter_keeps_the_filter_and_keys_act_on_the_rows_it_shows(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.press("slash", *"chloe", "enter")
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#members")
        assert app.screen.query_one(TableFilter).display  # still shown: the rows are filtered
        assert emails_on_screen(app) == ["chloe@acme.example"]
        await pilot.press("m")
        await pilot.pause()
        assert "Chloé Dubois (chloe@acme.example)" in app.screen.message
        await pilot.press("right", "enter")
        await settle(pilot)
        assert roles(admin)["chloe@acme.example"] == "admin"
        assert emails_on_screen(app) == ["chloe@acme.example"]  # the reload keeps the filter


async def test_the_filter_covers_the_pages_not_loaded_yet(live_server: LiveServer) -> None:
    context = live_server.context
    add_members(context, workspace_id_named(context, "Acme Corp"), 442)  # 450 rows, 100 loaded at first
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        assert app.screen.query_one("#members", DataTable).row_count == 100
        await pilot.press("slash", *"alice")  # the oldest member, on the last page
        await settle(pilot)
        assert emails_on_screen(app) == ["alice@acme.example"]
        assert shown(app, "#members-note") == "Filter: 1 of 450 members"
        await pilot.press("escape")
        await settle(pilot)
        assert len(emails_on_screen(app)) == 450


async def test_a_slash_typed_in_the_invite_form_is_part_of_the_address(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await open_invite_form(pilot)
        await pilot.press(*"a/b")
        await pilot.pause()
        assert app.screen.query_one("#invite-email", Input).value == "a/b"


async def test_slash_filters_the_invoices(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await show_invoices(pilot)
        everything = table.row_count
        await pilot.press("slash", *"000012")
        await settle(pilot)
        assert [str(table.get_row_at(row)[0]) for row in range(table.row_count)] == ["ACME-2026-000012"]
        assert shown(app, "#invoices-note") == f"Filter: 1 of {everything} invoices"
        await pilot.press("d")  # into the filter, not a download
        await settle(pilot)
        assert table.row_count == 0 and not notifications(app)
        await pilot.press("escape")
        await settle(pilot)
        assert table.row_count == everything
        assert app.screen.focused is table


async def test_the_palette_opens_each_filter_ready_to_type(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        # From the Dashboard once it shows the account: the admin's commands are offered from then on
        # (a palette typed into while the account loads does not search again when it arrives).
        await until(pilot, lambda: app.account.loaded, "the account")
        await run_from_palette(pilot, "Filter invoices")
        await pilot.press(*"000012")
        await settle(pilot)
        assert shown(app, "#invoices-note") == "Filter: 1 of 12 invoices"
        await run_from_palette(pilot, "Filter members")
        await pilot.press(*"bastien")
        await settle(pilot)
        assert emails_on_screen(app) == ["bastien@acme.example"]
