"""How the Upgrade pane looks with a change quoted: 80×24 (stacked, scrolling) and 120×40 (choices | quote).

The clock is frozen and the data seeded, and each picture waits for the quote to be on screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.waiting import quoted

Snap = Callable[..., bool]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_upgrade_pane_with_two_more_seats_quoted(
    snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]
) -> None:
    async def two_more_seats(pilot: Pilot[None]) -> None:
        await open_page(pilot, "b")
        pilot.app.screen.query_one("#seats").focus()
        await pilot.press("plus", "plus")
        await quoted(pilot)

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=two_more_seats)


def test_upgrade_pane_refusing_a_plan_too_small(snap_compare: Snap, live_server: LiveServer) -> None:
    async def free_plan(pilot: Pilot[None]) -> None:
        await open_page(pilot, "b")
        await pilot.press("home")
        await quoted(pilot)

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=(80, 24), run_before=free_plan)
