"""How the app looks, at 80×24 (the smallest terminal it supports) and 120×40.

Each picture waits for the data to load, so it shows the seeded account (frozen clock), never a
loading frame; nothing on screen comes from the local clock.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from textual.pilot import Pilot

from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page, open_plan_billing
from tests.helpers.waiting import settle

SMALL = (80, 24)
LARGE = (120, 40)
CLOSED_PORT_URL = "http://127.0.0.1:9"
"""The discard port: nothing listens there, and the message names it, so it must be fixed."""

Snap = Callable[..., bool]


async def loaded(pilot: Pilot[None]) -> None:
    await settle(pilot)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
@pytest.mark.parametrize("key", [ADMIN_KEY, MEMBER_KEY], ids=["admin", "member"])
def test_dashboard(snap_compare: Snap, live_server: LiveServer, key: str, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, key), terminal_size=size, run_before=loaded)


def test_error_state_when_the_server_cannot_be_reached(snap_compare: Snap) -> None:
    assert snap_compare(app_for(CLOSED_PORT_URL, ADMIN_KEY), terminal_size=SMALL, run_before=loaded)


def test_keys_screen(snap_compare: Snap, live_server: LiveServer) -> None:
    async def open_keys(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=SMALL, run_before=open_keys)


def test_billing_plan_and_billing_tab(snap_compare: Snap, live_server: LiveServer) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=SMALL, run_before=open_plan_billing)


def test_workspace(snap_compare: Snap, live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    assert snap_compare(app, terminal_size=SMALL, run_before=partial(open_page, key="w"))
