"""The footer: the keys of what has the keyboard (a dialog's own, not the page's beneath it), each
key whole or not at all, whatever the width and after a resize (issue 13 defect 8)."""

from __future__ import annotations

import pytest

from kaspr_tui.app import KasprApp
from kaspr_tui.screens.billing.plan import open_licenses
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.server.testing import ADMIN_KEY, SUPPORT_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle

PALETTE_KEY = "▏^p palette"


def footer_line(app: KasprApp) -> str:
    return screen_text(app).splitlines()[-1]


def page_keys(line: str) -> str:
    """The keys left of the palette key, as shown."""
    return line.split("▏")[0].rstrip()


@pytest.mark.parametrize(("key", "widths"), [(ADMIN_KEY, (60, 61, 64, 70, 75)), (SUPPORT_KEY, (60, 62, 66))])
async def test_a_narrow_footer_shows_whole_keys_only_and_nothing_at_its_edge(
    live_server: LiveServer, key: str, widths: tuple[int, ...]
) -> None:
    app = app_for(live_server.url, key)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        all_keys = page_keys(footer_line(app))  # every key fits at 120 columns
        for width in (*widths, 80, *reversed(widths)):  # narrower, wider again: a resize leaves nothing behind
            await pilot.resize_terminal(width, 24)
            await settle(pilot)
            line = footer_line(app)
            shown = page_keys(line)
            assert all_keys.startswith(shown) and all_keys[len(shown) : len(shown) + 1] in ("", " "), (width, line)
            assert line.rstrip().endswith(PALETTE_KEY) and line[-1] == " ", (width, line)


async def test_a_dialog_footer_shows_the_dialogs_keys_not_the_pages(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "b Billing" in footer_line(app)
        await open_licenses(app)
        await settle(pilot)
        assert isinstance(app.screen, Dialog)
        line = footer_line(app)
        assert "esc Cancel" in line
        for page_key in ("d Dashboard", "b Billing", "r Refresh", "q Quit", "^p palette"):
            assert page_key not in line  # none of them works while the dialog is open
        await pilot.press("escape")
        await settle(pilot)
        assert "b Billing" in footer_line(app)
        await pilot.press("question_mark")  # the Keys screen is a dialog too
        await settle(pilot)
        assert "esc Close" in footer_line(app) and "Dashboard" not in footer_line(app)

