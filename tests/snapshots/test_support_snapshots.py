"""How the Support page looks at 80×24 and 120×40: a customer's requests page with a ticket
filed, the support console with an account looked up, and the transfer confirmation showing
both workspaces before and after; at 80×24, the inbox of each: a customer's requests (one
closed) and the console's open requests from two workspaces."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from textual.pilot import Pilot

from kaspr_tui.server.testing import ADMIN_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.forms import type_into
from tests.helpers.http import DAVID_NEW, DAVID_OLD
from tests.helpers.waiting import settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

Snap = Callable[..., bool]


async def email_change_requested(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await type_into(pilot, "#request-new-email", "alice.martin@acme.example")
    await pilot.press("enter")
    await settle(pilot)


async def david_looked_up(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("slash")
    await type_into(pilot, "#lookup-email", DAVID_OLD)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("escape")


async def transfer_to_review(pilot: Pilot[None]) -> None:
    await david_looked_up(pilot)
    await pilot.press("t")
    await settle(pilot)
    await type_into(pilot, "#transfer-to", DAVID_NEW)
    pilot.app.screen.query_one("#transfer-license").focus()
    await pilot.press("space")
    await type_into(pilot, "#transfer-phone", "150")
    await type_into(pilot, "#transfer-export", "1000")
    await type_into(pilot, "#transfer-reason", "David moved to Globex")
    await pilot.press("enter")
    await settle(pilot)


@SIZES
def test_requests_page_with_a_ticket(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=email_change_requested)


@SIZES
def test_console_with_an_account(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, SUPPORT_KEY), terminal_size=size, run_before=david_looked_up)


@SIZES
def test_transfer_confirmation(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, SUPPORT_KEY), terminal_size=size, run_before=transfer_to_review)


def requests_sent(admin: httpx.Client, globex: httpx.Client) -> None:
    """Two open requests, from two workspaces, and one Acme request support has closed."""
    for client, message in ((admin, "Can we move our renewal date?"), (globex, "Please add our VAT number"),
                            (admin, "Please send the August invoice again")):
        client.post("/v1/support_requests", json={"kind": "other", "message": message}).raise_for_status()


async def your_requests_shown(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await pilot.press("escape")
    await pilot.press("i")
    await settle(pilot)


async def open_requests_shown(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("escape")
    await pilot.press("i")
    await settle(pilot)


def test_your_requests(
    snap_compare: Snap, live_server: LiveServer, admin: httpx.Client, globex: httpx.Client, support: httpx.Client
) -> None:
    requests_sent(admin, globex)
    support.post("/v1/support/requests/sr_000003/close").raise_for_status()
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=(80, 24), run_before=your_requests_shown)


def test_open_requests(snap_compare: Snap, live_server: LiveServer, admin: httpx.Client, globex: httpx.Client) -> None:
    requests_sent(admin, globex)
    assert snap_compare(app_for(live_server.url, SUPPORT_KEY), terminal_size=(80, 24), run_before=open_requests_shown)
