"""Manage cards (issue 12): the cards on file, one made the default, one removed, the default of a
paid plan kept, no duplicates; read back through the API."""

from __future__ import annotations

import httpx
from textual.widgets import OptionList

from kaspr_tui.screens.billing.cards import CardsScreen
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.forms import MASTERCARD
from tests.helpers.http import add_card
from tests.helpers.pages import open_dialog, press
from tests.helpers.screen import shown
from tests.helpers.waiting import settle, until


def cards_on_file(admin: httpx.Client) -> list[tuple[str, bool]]:
    return sorted((card["last4"], card["is_default"]) for card in admin.get("/v1/payment_methods").json()["data"])


def listed(app) -> list[str]:
    options = app.screen.query_one("#card-list", OptionList)
    return [str(options.get_option_at_index(index).prompt) for index in range(options.option_count)]


async def test_make_a_card_the_default_then_remove_the_other(live_server: LiveServer, admin: httpx.Client) -> None:
    add_card(admin, MASTERCARD)
    add_card(admin, MASTERCARD)  # the same card twice is one card
    assert cards_on_file(admin) == [("4242", True), ("4444", False)]
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "#manage-cards", CardsScreen)
        assert listed(app) == ["Visa •••• 4242  expires 12/2029  default", "Mastercard •••• 4444  expires 12/2030"]

        # The default card of a paid plan is not removed: said beside the list, nothing changes.
        await press(pilot, "#card-remove", CardsScreen)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await press(pilot, "#confirm", ConfirmScreen)
        await settle(pilot)
        assert "make another card the default" in shown(app, "#cards-problem")
        assert cards_on_file(admin) == [("4242", True), ("4444", False)]

        app.screen.query_one("#card-list").focus()
        await pilot.press("down")
        await press(pilot, "#card-make-default", CardsScreen)
        await settle(pilot)
        assert cards_on_file(admin) == [("4242", False), ("4444", True)]
        assert listed(app)[0] == "Mastercard •••• 4444  expires 12/2030  default"
        assert app.account.default_card is not None and app.account.default_card.last4 == "4444"

        app.screen.query_one("#card-list").focus()
        await pilot.press("down")  # the Visa, no longer the default
        await press(pilot, "#card-remove", CardsScreen)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await press(pilot, "#confirm", ConfirmScreen)
        await settle(pilot)
        assert listed(app) == ["Mastercard •••• 4444  expires 12/2030  default"]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CardsScreen)
    assert cards_on_file(admin) == [("4444", True)]
