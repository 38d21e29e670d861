"""Garbage pasted or typed into every input a person can reach while buying: control characters,
escape sequences, NUL, emoji and 10 KB strings. Each is refused next to its field, the screen never
draws a raw control character, nothing reaches the server, and nothing crashes."""

from __future__ import annotations

import httpx
import pytest
from textual import events
from textual.app import App
from textual.widgets import Input, Static

from kaspr_tui.screens.checkout.billing_form import FORM_ORDER
from kaspr_tui.screens.workspace.invite import InviteMemberScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.widgets.seat_counter import SeatCounter
from kaspr_tui.widgets.slider import Slider
from tests.helpers.app import app_for, recording_app
from tests.helpers.forms import error_of, open_form_on_account, submit, use_new_card
from tests.helpers.http import api_emails, server_state
from tests.helpers.pages import open_page
from tests.helpers.screen import screen_text, showing
from tests.helpers.waiting import quoted, settle, until

GARBAGE = {
    "control-characters": "Acme\x07\x08\x7f Corp\r\nsecond line",
    "escape-sequences": "\x1b[31mred\x1b[0m\x1b]0;owned\x07\x1b[2J",
    "nul": "Acme\x00Corp",
    "emoji": "💳🙂🚀",
}
TEN_KB = "A" * 10_000
TEXT_INPUTS = [input_id for input_id in FORM_ORDER if input_id != "country"]
"""Every input of the billing form a paste can land in (the country is a list to choose from)."""
NAMES = {"company", "contact-name", "line1", "city", "card-name"}
"""Free text: a company or a street may well be written with emoji, so emoji are no error there."""
INJECTED = {"clear screen": "\x1b[2J", "window title": "\x1b]0;owned", "NUL": "\x00"}
"""What a terminal would act on if the pasted escape garbage were drawn as it is."""


def paste_into(app: App[None], input_id: str, text: str, *, replace: bool) -> None:
    """Paste `text` into an input (over what it holds when `replace`), as a terminal's bracketed paste
    does: the driver hands it to the app, which gives it to the focused widget."""
    field = app.screen.query_one(f"#{input_id}", Input)
    field.focus()
    if replace:
        field.value = ""
    app.post_message(events.Paste(text))


def injected_into_terminal(app: App[None]) -> list[str]:
    """Which pasted sequences the next full frame would write to the terminal as they are."""
    frame = app.screen._compositor.render_update(full=True).render_segments(app.console)
    return [name for name, sequence in INJECTED.items() if sequence in frame]


@pytest.mark.parametrize("kind", list(GARBAGE))
async def test_garbage_pasted_into_every_billing_input_is_refused_beside_each(
    live_server: LiveServer, admin: httpx.Client, kind: str
) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await open_form_on_account(pilot)
        await use_new_card(pilot)
        for input_id in TEXT_INPUTS:
            paste_into(app, input_id, GARBAGE[kind], replace=True)
            await pilot.pause()
        await submit(pilot, results)

        assert results == [], "the form did not go through"
        expect_error = [i for i in TEXT_INPUTS if not (kind == "emoji" and i in NAMES)]
        missing = [input_id for input_id in expect_error if not error_of(app, input_id)]
        assert missing == [], f"no error shown beside {missing}"
        for input_id in expect_error:
            message = error_of(app, input_id)
            assert message and message.endswith(".") and "Traceback" not in message
        assert app.is_running
    assert server_state(admin) == before


async def test_ten_kb_pasted_into_every_billing_input_is_refused_and_the_value_kept(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form_on_account(pilot)
        await use_new_card(pilot)
        for input_id in TEXT_INPUTS:
            kept = app.screen.query_one(f"#{input_id}", Input).value
            paste_into(app, input_id, TEN_KB, replace=False)
            await pilot.pause()
            assert app.screen.query_one(f"#{input_id}", Input).value == kept, input_id
            assert (error_of(app, input_id) or "").startswith("That does not fit here: at most"), input_id


async def test_emoji_in_the_names_reach_the_server_as_typed_or_are_refused_beside_the_field(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await open_form_on_account(pilot, saves=True)  # as Billing details → Edit saves
        for input_id in ("company", "contact-name", "city"):
            paste_into(app, input_id, GARBAGE["emoji"], replace=True)
            await pilot.pause()
        await submit(pilot, results)
        if results:  # accepted: saved exactly as typed
            saved = admin.get("/v1/billing_details").json()
            assert (saved["company"], saved["contact_name"], saved["address"]["city"]) == (GARBAGE["emoji"],) * 3
        else:
            assert any(error_of(app, input_id) for input_id in ("company", "contact-name", "city"))


# ---- the Upgrade pane's users and credits --------------------------------------------------------


async def test_garbage_pasted_or_typed_into_users_and_credits_changes_nothing(live_server: LiveServer) -> None:
    app, transport = recording_app(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_page(pilot, "b")
        for selector in ("#seats", "#addon-phone", "#addon-direct_email", "#addon-export"):
            widget = app.screen.query_one(selector, SeatCounter | Slider)
            widget.focus()
            start = widget.value
            await pilot.pause()  # focused before anything is pasted
            for text in [*GARBAGE.values(), TEN_KB]:
                app.post_message(events.Paste(text))
            # The same characters as keys (a terminal without bracketed paste types them one by one);
            # letters are left out: they are the app's keys (d, b, q…), and a person typing them switches pages.
            for char in "".join(GARBAGE.values()):
                if not char.isalnum():
                    app.post_message(events.Key(char if char.isprintable() else "ignored", char))
            await quoted(pilot)
            assert widget.value == start, selector
            assert injected_into_terminal(app) == []
        assert transport.quote_requests == [], "no quote was asked for"
        assert app.is_running


# ---- the workspace invitation email ---------------------------------------------------------------


async def test_garbage_pasted_into_the_invitation_email_is_refused_beside_it(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    members_before = api_emails(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        for kind, pasted in [*GARBAGE.items(), ("ten-kb", TEN_KB)]:
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, InviteMemberScreen), "the Add a member dialog")
            paste_into(app, "invite-email", pasted, replace=True)
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, InviteMemberScreen), f"{kind}: the dialog stays open"
            assert showing(app, "#invite-email-error"), kind
            message = str(app.screen.query_one("#invite-email-error", Static).content)
            assert message.endswith(".") and "Traceback" not in message, kind
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, InviteMemberScreen), "the dialog to close")
    assert api_emails(admin) == members_before


async def test_pasted_escape_sequences_are_never_written_to_the_terminal(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form_on_account(pilot)
        paste_into(app, "company", GARBAGE["escape-sequences"] + GARBAGE["nul"], replace=True)
        await pilot.pause()
        assert injected_into_terminal(app) == []


TITLE_AND_CLEAR = "\x1b]0;pwned\x07\x1b[2J"
"""Retitles the window, then clears the screen, if a terminal is handed it raw."""


async def test_escape_sequences_pasted_into_the_invitation_email_show_as_symbols_and_are_refused(
    live_server: LiveServer,
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "w")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, InviteMemberScreen), "the Add a member dialog")
        paste_into(app, "invite-email", TITLE_AND_CLEAR + "\x00", replace=True)
        await pilot.pause()

        frame = app.screen._compositor.render_update(full=True).render_segments(app.console)
        assert [raw for raw in ("\x1b]0;pwned", "\x1b[2J", "\x07", "\x00") if raw in frame] == []
        assert "␛]0;pwned␇␛[2J␀" in screen_text(app), "what was pasted is there to see, as symbols"
        await pilot.press("enter")
        await settle(pilot)
        assert showing(app, "#invite-email-error"), "and is refused beside the field"
