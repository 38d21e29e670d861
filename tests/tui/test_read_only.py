"""Read-only in the TUI (issue 14): every write key leaves the footer and the palette, every write
button is disabled saying why, the title says read-only and names a profile that is not the default."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from textual.widgets import Button

from kaspr_tui.app import KasprApp
from kaspr_tui.server.testing import ADMIN_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle

WRITE_COMMANDS = {
    "Change plan", "Buy phone credits", "Add licenses", "Update payment information: new card",
    "Request an email change", "Ask support before deleting my account",
}


def read_only_app(url: str, key: str, profile: str | None = "staging") -> KasprApp:
    app = app_for(url, key)
    assert app.settings is not None
    app.settings = replace(
        app.settings, read_only=True, profile=profile, sources=MappingProxyType({"read_only": "cli"})
    )
    return app


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


def palette_titles(app) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


async def test_an_admin_read_only_is_offered_no_write(live_server: LiveServer) -> None:
    app = read_only_app(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.title == "Kaspr · Acme Corp · profile staging · read-only"
        assert not WRITE_COMMANDS & palette_titles(app)
        assert {"Billing details", "Invoices", "Download latest invoice"} <= palette_titles(app)
        await pilot.press("w")
        await settle(pilot)
        assert "Add member" not in footer(app)
        await pilot.press("a")  # the key does nothing either
        await settle(pilot)
        assert type(app.screen).__name__ == "WorkspaceScreen"
        add = app.screen.query_one("#add-member", Button)
        assert add.disabled and "--read-only was given" in str(add.tooltip)
        await pilot.press("b")
        await settle(pilot)
        app.screen.query_one("#seats").focus()
        await pilot.press("plus")
        await settle(pilot)
        assert app.screen.query_one("#checkout", Button).disabled


async def test_support_read_only_can_look_up_but_not_transfer(live_server: LiveServer) -> None:
    app = read_only_app(live_server.url, SUPPORT_KEY, profile=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = palette_titles(app)
        assert "Look up an account" in titles
        assert not {"Transfer license and credits", "Change a user's email"} & titles
        await pilot.press("escape")
        await settle(pilot)
        assert "Transfer" not in footer(app)
        assert app.screen.query_one("#transfer-start", Button).disabled
        assert "profile" not in app.title


async def test_the_default_profile_is_not_in_the_title(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.title == "Kaspr · Acme Corp"
