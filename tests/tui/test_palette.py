"""The command palette offers each role what it can do, by plain name, and each command gets there."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from kaspr_tui.app import KasprApp
from kaspr_tui.screens.billing.addons import PurchaseAddonsScreen
from kaspr_tui.screens.billing.licenses import LicensesScreen
from kaspr_tui.screens.dialogs.billing_details import BillingDetailsScreen
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.forms import type_text
from tests.helpers.waiting import settle, until

BILLING_COMMANDS = {
    "Buy phone credits",
    "Buy direct email credits",
    "Buy export credits",
    "Add licenses",
    "Update payment information: new card",
    "Billing details",
    "Invoices",
    "Download latest invoice",
}
CUSTOMER_REQUESTS = {
    "Request an email change", "Changing jobs: request a transfer", "Ask support before deleting my account"
}
CONSOLE_COMMANDS = {"Look up an account", "Transfer license and credits", "Change a user's email"}


def palette_titles(app: KasprApp) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


def palette_highlights(app: App[object], title: str) -> bool:
    """The open palette lists its search's results with `title` highlighted, ready for Enter."""
    lists = app.screen.query(CommandList)
    if not lists or lists.first().highlighted is None:
        return False
    highlighted = lists.first().get_option_at_index(lists.first().highlighted)
    return str(highlighted.prompt).startswith(title)


async def run_from_palette(pilot: Pilot[None], title: str) -> None:
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette to open")
    await type_text(pilot, title)
    # The search runs in a worker that may not have started when the last key lands.
    await until(pilot, lambda: palette_highlights(pilot.app, title), f"the palette to offer {title!r}")
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette), "the palette to close")
    await settle(pilot)


@pytest.mark.parametrize(
    ("key", "offered", "not_offered"),
    [
        (ADMIN_KEY, BILLING_COMMANDS | CUSTOMER_REQUESTS, CONSOLE_COMMANDS),
        (MEMBER_KEY, CUSTOMER_REQUESTS, BILLING_COMMANDS | CONSOLE_COMMANDS),
        (SUPPORT_KEY, CONSOLE_COMMANDS, BILLING_COMMANDS | CUSTOMER_REQUESTS),
    ],
    ids=["admin", "member", "support"],
)
async def test_each_role_is_offered_only_what_it_can_do(
    live_server: LiveServer, key: str, offered: set[str], not_offered: set[str]
) -> None:
    app = app_for(live_server.url, key)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = palette_titles(app)
        assert offered <= titles
        assert not (not_offered & titles)


@pytest.mark.parametrize(
    ("title", "screen_class"),
    [
        ("Buy export credits", PurchaseAddonsScreen),
        ("Add licenses", LicensesScreen),
        ("Billing details", BillingDetailsScreen),
    ],
)
async def test_a_billing_command_opens_its_dialog_from_the_dashboard(
    live_server: LiveServer, title: str, screen_class: type
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_mode == "dashboard"
        await run_from_palette(pilot, title)
        assert isinstance(app.screen, screen_class)


async def test_a_support_request_command_takes_a_member_to_its_form(live_server: LiveServer) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, "Request an email change")
        assert app.current_mode == "support"
        assert app.focused is not None and app.focused.id == "request-new-email"


@pytest.mark.parametrize(("title", "opener"), [("Buy export credits", "buy-export"), ("Add licenses", "licenses-add")])
async def test_leaving_a_dialog_opened_from_the_palette_stays_on_plan_and_billing(
    live_server: LiveServer, title: str, opener: str
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, title)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#billing-tabs", TabbedContent).active == "plan-billing"
        assert app.focused is not None and app.focused.id == opener
