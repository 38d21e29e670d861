"""How the Support page looks at 80×24 and 120×40: a customer's requests page with a ticket
filed, the support console with an account looked up, and the transfer confirmation showing
both workspaces before and after."""

from __future__ import annotations

from collections.abc import Callable

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
