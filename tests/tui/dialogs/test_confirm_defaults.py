"""Issue 13, defect 5: every confirmation starts on the button that changes nothing, and each
button says what it does (never "Cancel" beside "Yes, cancel it")."""

from __future__ import annotations

import httpx
from textual.widgets import Button

from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.server.testing import ADMIN_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.forms import type_into
from tests.helpers.waiting import settle, until
from tests.tui.test_dashboard import schedule_downgrade


def buttons(app) -> dict[str, str]:
    return {button.id: str(button.label) for button in app.screen.query(Button)}


async def test_cancelling_the_scheduled_change_starts_on_keep_and_says_both(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    schedule_downgrade(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        assert buttons(app) == {"cancel": "Keep the change", "confirm": "Cancel the change"}
        assert app.focused is app.screen.query_one("#cancel")
        await pilot.press("enter")
        await settle(pilot)
    assert admin.get("/v1/subscription").json()["scheduled_change"] is not None


async def test_the_support_email_change_starts_on_keep(live_server: LiveServer) -> None:
    app = app_for(live_server.url, SUPPORT_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#lookup-email", "david@acme.example")
        await pilot.press("enter")
        await settle(pilot)
        await type_into(pilot, "#email-change-new", "david.chen@acme.example")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        assert app.focused is app.screen.query_one("#cancel")
        assert buttons(app)["cancel"] == "Keep the email"
        await pilot.press("enter")  # a reflexive Enter changes nothing
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
    # (the email stays: the console would show the change otherwise)


async def test_revoking_an_invitation_starts_on_keep(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("end", "x")  # the last row of the seed is the pending invitation
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        labels = buttons(app)
        assert labels["confirm"] in {"Revoke invitation", "Remove member"}
        assert labels["cancel"] in {"Keep invitation", "Keep member"}
        assert app.focused is app.screen.query_one("#cancel")
