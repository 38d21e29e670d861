"""One rule for every text field (issue 13, defect 9): a paste longer than the field takes is
refused whole, with the limit said under the field, in the support forms and the invite form as in
the billing form (tests/tui/checkout/test_billing_form.py); nothing is cut silently."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, Static

from kaspr_tui.server.testing import ADMIN_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page
from tests.helpers.waiting import settle


@pytest.mark.parametrize(
    ("key", "page", "field", "limit"),
    [
        (ADMIN_KEY, "s", "request-new-email", 254),
        (ADMIN_KEY, "s", "request-transfer-message", 5000),
        (SUPPORT_KEY, "s", "lookup-email", 254),
    ],
    ids=["email-change", "transfer-message", "lookup"],
)
async def test_a_paste_too_long_for_a_support_field_is_refused_with_its_limit(
    live_server: LiveServer, key: str, page: str, field: str, limit: int
) -> None:
    app = app_for(live_server.url, key)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, page)
        target = app.screen.query_one(f"#{field}", Input)
        target.focus()
        target.value = ""  # the console opens on Support, focused in the look-up, where "s" was typed
        target.post_message(events.Paste("a" * (limit + 1)))
        await pilot.pause()
        assert target.value == ""
        error = app.screen.query_one(f"#{field}-error", Static)
        assert error.display
        assert str(error.render()) == f"That does not fit here: at most {limit} characters."
        target.post_message(events.Paste("a" * limit))  # the limit itself fits
        await pilot.pause()
        assert len(target.value) == limit


async def test_a_paste_too_long_for_the_invite_email_is_refused_with_its_limit(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.click("#add-member")
        await settle(pilot)
        target = app.screen.query_one("#invite-email", Input)
        target.post_message(events.Paste("a" * 255))
        await pilot.pause()
        assert target.value == ""
        assert str(app.screen.query_one("#invite-email-error", Static).render()) == (
            "That does not fit here: at most 254 characters."
        )
