"""The support inbox in the app (issue 13): a customer's Support page lists their requests with
ticket, kind, status and date, read again after one is sent and showing when support closed it;
the support console lists every workspace's open requests, looks the sender of one up and closes
one after a confirmation whose default keeps it open; read-only offers no close.

The server's clock is frozen at 27 Nov 2026."""

from __future__ import annotations

import httpx
from textual.widgets import Button

from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.forms import type_into
from tests.helpers.pages import open_page
from tests.helpers.screen import drawn, screen_text, shown
from tests.helpers.waiting import settle
from tests.tui.test_read_only import read_only_app


def send(client: httpx.Client, message: str) -> str:
    response = client.post("/v1/support_requests", json={"kind": "other", "message": message})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def status_of(client: httpx.Client, ticket: str) -> str:
    return client.get(f"/v1/support/requests/{ticket}").json()["status"]


def table_on_screen(pilot) -> bool:
    """The focused list is inside the screen, above the footer."""
    table = pilot.app.focused
    screen = pilot.app.screen.region
    return table is not None and table.region.y >= 1 and table.region.bottom <= screen.bottom - 1


async def test_a_customer_sees_a_request_listed_once_sent_and_closed_with_its_date(
    live_server: LiveServer, support: httpx.Client
) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "s")
        assert "No requests yet" in shown(app, "#your-requests-detail")
        await type_into(pilot, "#request-new-email", "b.moreau@acme.example")
        await pilot.press("enter")
        await settle(pilot)
        [ticket] = [t["id"] for t in support.get("/v1/support/requests").json()["data"]]
        await pilot.press("escape", "i")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#your-requests")
        assert table_on_screen(pilot)
        listed = drawn(app, "#your-requests")
        assert ticket in listed and "Email change" in listed and "open" in listed and "27 Nov 2026" in listed

        support.post(f"/v1/support/requests/{ticket}/close").raise_for_status()
        await pilot.press("r")
        await settle(pilot)
        assert "closed 27 Nov 2026" in drawn(app, "#your-requests")
        assert f"{ticket} · Email change · closed 27 Nov 2026" in shown(app, "#your-requests-detail")


async def test_staff_see_every_workspaces_open_requests_and_look_the_sender_up(
    live_server: LiveServer, admin: httpx.Client, globex: httpx.Client
) -> None:
    from_acme, from_globex = send(admin, "Question from Acme"), send(globex, "Question from Globex")
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "i")
        await settle(pilot)
        assert table_on_screen(pilot)
        rows = drawn(app, "#open-requests").splitlines()
        assert from_globex in rows[1] and "gina@globex.example" in rows[1]  # newest first
        assert from_acme in rows[2] and "alice@acme.example" in rows[2]
        assert "Question from Globex" in shown(app, "#open-requests-detail")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert "Alice Martin <alice@acme.example>" in shown(app, "#lookup-account")
        assert "Alice Martin <alice@acme.example>" in screen_text(app)  # scrolled into view


async def test_closing_asks_first_keeps_it_open_by_default_and_then_leaves_the_list(
    live_server: LiveServer, admin: httpx.Client, support: httpx.Client
) -> None:
    ticket = send(admin, "Please call me")
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "i", "c")
        await settle(pilot)
        assert f"Close {ticket}?" in screen_text(app)
        assert "Please call me" in shown(app, "#confirm-message")
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("enter")  # a reflexive Enter keeps it open
        await settle(pilot)
        assert status_of(support, ticket) == "open"

        await pilot.press("c")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        assert status_of(support, ticket) == "closed"
        assert f"{ticket} closed" in shown(app, "#open-requests-status")
        assert ticket not in drawn(app, "#support-open-requests")
        assert "No open requests" in shown(app, "#open-requests-detail")


async def test_read_only_staff_see_the_requests_but_cannot_close_one(
    live_server: LiveServer, admin: httpx.Client, support: httpx.Client
) -> None:
    ticket = send(admin, "Please call me")
    app = read_only_app(live_server.url, SUPPORT_KEY, profile=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "i")
        await settle(pilot)
        assert ticket in drawn(app, "#open-requests")
        assert "c Close" not in screen_text(app).splitlines()[-1]
        assert "Close a support request" not in {c.title for c in app.get_system_commands(app.screen)}
        assert app.screen.query_one("#request-close", Button).disabled
        await pilot.press("c")
        await settle(pilot)
        assert "Close " not in screen_text(app).splitlines()[0]  # no dialog
        assert status_of(support, ticket) == "open"


async def test_each_role_finds_its_list_in_the_palette(live_server: LiveServer, admin: httpx.Client) -> None:
    send(admin, "Hello")
    for key, command, table in ((ADMIN_KEY, "My support requests", "your-requests"),
                                (SUPPORT_KEY, "Open support requests", "open-requests")):
        app = app_for(live_server.url, key)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            [entry] = [c for c in app.get_system_commands(app.screen) if c.title == command]
            await entry.callback()
            await settle(pilot)
            assert app.focused is app.screen.query_one(f"#{table}")
            assert table_on_screen(pilot)
