"""Issue 13, defect 2: moving over the plan list never loses another choice, Left/Right never
change the plan, and the column headings stay on screen with the rows they name.

The seed: Acme Corp is on Business, annual, 10 seats, 7 members and 1 pending invitation.
"""

from __future__ import annotations

from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.widgets.choices import Choices
from kaspr_tui.widgets.seat_counter import SeatCounter
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.screen import screen_text
from tests.helpers.waiting import quoted, settle


async def test_passing_over_free_keeps_the_users_chosen(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "b")
        seats = app.screen.query_one("#seats", SeatCounter)
        seats.focus()
        await pilot.press("plus", "plus", "plus")
        await quoted(pilot)
        assert seats.value == 13
        plans = app.screen.query_one("#plan-select", Choices)
        plans.focus()
        await pilot.press("up", "up")  # Business → Starter → Free: too small for the members
        await quoted(pilot)
        assert plans.value == "free"
        await pilot.press("down", "down")  # back on Business
        await quoted(pilot)
        assert plans.value == "business"
        assert seats.value == 13


async def test_left_and_right_do_not_change_the_plan(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "b")
        plans = app.screen.query_one("#plan-select", Choices)
        plans.focus()
        await pilot.press("left", "right", "right")
        await settle(pilot)
        assert plans.value == "business"


async def test_the_column_headings_show_above_the_focused_plan_list(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "b")
        assert app.focused is app.screen.query_one("#plan-select")
        rows = screen_text(app).splitlines()
        [heading] = [row for row in rows if "€/user/mo" in row]
        [business] = [row for row in rows if "Business" in row and "current" in row]
        assert rows.index(heading) < rows.index(business)
        # Each heading ends where its column's figures end: €79.00 under €/user/mo, 1,000 under Export.
        assert heading.index("€/user/mo") + len("€/user/mo") == business.index("€79.00") + len("€79.00")
        assert heading.index("Export") + len("Export") == business.index("1,000") + len("1,000")
