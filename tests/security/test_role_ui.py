"""The member and support UIs do not offer what their keys cannot do: no billing page, no purchase
or card command in the palette on any page they can reach, no purchase or member-management button
on screen. The admin's UI is the control: the same checks find its billing actions."""

from __future__ import annotations

import re

import pytest

from kaspr_tui.app import KasprApp
from kaspr_tui.screens.billing.payment import open_update_payment
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.waiting import settle

PURCHASES = r"buy|purchase|add.?licen|change plan|checkout|payment|card|upgrade|add-?on|cancel scheduled"
FORBIDDEN_COMMANDS = {
    "member": re.compile(rf"{PURCHASES}|invite|add member|remove member|billing details", re.IGNORECASE),
    # Support runs transfers (a license may move with a user), but never buys or sees cards.
    "support": re.compile(PURCHASES, re.IGNORECASE),
}
ADMIN_ONLY_CONTROLS = ["#checkout", "#buy-phone", "#buy-direct_email", "#buy-export", "#licenses-add",
                       "#update-payment", "#add-member", "#cancel-scheduled-change"]
KEYS = {"member": MEMBER_KEY, "support": SUPPORT_KEY}


async def reachable_pages(app: KasprApp, pilot) -> list[tuple[str, list[str], list[str]]]:
    """For every page the role can switch to: its name, the palette's command titles there, and the
    admin-only controls displayed on it."""
    pages = []
    for mode in app.allowed_modes:
        await app.switch_mode(mode)
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        shown = [selector for selector in ADMIN_ONLY_CONTROLS
                 if any(widget.display and widget.visible for widget in app.screen.query(selector))]
        pages.append((mode, titles, shown))
    return pages


@pytest.mark.parametrize("role", ["member", "support"])
async def test_a_role_without_billing_is_offered_no_billing_action(live_server: LiveServer, role: str) -> None:
    app = app_for(live_server.url, KEYS[role])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "billing" not in app.allowed_modes
        await pilot.press("b")
        await settle(pilot)
        assert app.current_mode != "billing"
        await app.action_change_plan()  # the palette's Change plan, were it reachable
        await settle(pilot)
        assert app.current_mode != "billing"
        open_update_payment(app)
        await pilot.pause()
        assert not app.screen.query("#card-number"), "no card form opens"
        for mode, titles, shown in await reachable_pages(app, pilot):
            assert [title for title in titles if FORBIDDEN_COMMANDS[role].search(title)] == [], mode
            assert shown == [], f"{mode} shows {shown}"


async def test_the_admin_is_offered_the_billing_actions_the_checks_look_for(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pages = await reachable_pages(app, pilot)
    assert any(FORBIDDEN_COMMANDS["support"].search(title) for _, titles, _ in pages for title in titles)
    assert {selector for _, _, shown in pages for selector in shown} >= {"#checkout", "#add-member"}
