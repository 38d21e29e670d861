"""A page is styled as a whole once when its mode first opens it (Textual says "resumed" twice then;
each restyled the whole page), and a page come back to shows the theme picked while it was away."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

from kaspr_tui.screens.billing.page import BillingScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_page


def record_page_stylings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the pages styled as a whole (not a widget's class or focus change), in order."""
    pages: list[str] = []
    update_styles = App.update_styles

    def recording(app: App[None], node: DOMNode, animate: bool = True) -> None:
        if isinstance(node, Screen):
            pages.append(type(node).__name__)
        update_styles(app, node, animate)

    monkeypatch.setattr(App, "update_styles", recording)
    return pages


async def test_a_page_opened_the_first_time_is_styled_once(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "d")
        pages = record_page_stylings(monkeypatch)
        await open_page(pilot, "b")
        assert isinstance(app.screen, BillingScreen)
        assert pages.count("BillingScreen") == 1


async def test_a_page_come_back_to_shows_the_theme_picked_while_it_was_away(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, "b")
        await open_page(pilot, "d")
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await pilot.pause()
        await open_page(pilot, "b")
        background = app.screen.styles.background
        assert background == app.current_theme.to_color_system().background
