"""How the Workspace looks at 80×24 and 120×40: the seeded list with its pending invitation, the
Add a member form showing the server's answer to a duplicate under the field, and (80×24) the
filter `/` opens."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.waiting import settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

Snap = Callable[..., bool]


@SIZES
def test_workspace_with_an_invitation(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=partial(open_page, key="w"))


@SIZES
def test_invite_form_with_the_servers_error(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    async def invite_a_member_already_there(pilot: Pilot[None]) -> None:
        await open_page(pilot, "w")
        await pilot.press("a")
        await pilot.pause()
        pilot.app.screen.query_one("#invite-email", Input).value = "bastien@acme.example"
        await pilot.click("#send-invite")
        await settle(pilot)

    app = app_for(live_server.url, ADMIN_KEY)
    assert snap_compare(app, terminal_size=size, run_before=invite_a_member_already_there)


def test_members_filter_open(snap_compare: Snap, live_server: LiveServer) -> None:
    """`/` opened over the members, "bas" typed: one row left, the note says of how many."""

    async def filter_members(pilot: Pilot[None]) -> None:
        await open_page(pilot, "w")
        await pilot.press("slash", *"bas")
        await settle(pilot)

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=(80, 24), run_before=filter_members)
