"""How the checkout's steps look at 80×24 and 120×40: the order review, the payment processing,
the bank's 3-D Secure question, success and failure.

Seeded server, frozen clock, animations off (the spinner draws as a still "Loading..."), so every
picture is the same on every machine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

import httpx
import pytest
from textual.pilot import Pilot

from kaspr_tui.api import new_idempotency_key
from kaspr_tui.api.models import QuoteRequest
from kaspr_tui.screens.checkout import (
    OrderReviewScreen,
    PaymentChoice,
    ProcessingScreen,
)
from kaspr_tui.screens.checkout.billing_form import as_update
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.forms import THREE_D_SECURE_CARD, UPGRADE
from tests.helpers.http import add_card, choice_for
from tests.helpers.screen import showing
from tests.helpers.waiting import settle, until

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
DECLINED_CARD = "4000000000000002"

Snap = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]


def paying_with(choose: Callable[[Pilot[None]], PaymentChoice], shown: str) -> RunBefore:
    """Open the payment dialog for the upgrade and wait until `shown` is on screen."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        quote = await pilot.app.client.create_quote(UPGRADE)
        await pilot.app.push_screen(ProcessingScreen(quote, choose(pilot), idempotency_key=new_idempotency_key()))
        await until(pilot, lambda: showing(pilot.app, shown), shown)
        await pilot.pause()

    return run_before


def saved_card(pilot: Pilot[None]) -> PaymentChoice:
    account = pilot.app.account
    return PaymentChoice(as_update(account.billing_details), saved_card=account.default_card)


@SIZES
def test_order_review(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    async def review(pilot: Pilot[None]) -> None:
        await settle(pilot)
        app = pilot.app
        quote = await app.client.create_quote(UPGRADE)
        await app.push_screen(OrderReviewScreen(quote, saved_card(pilot)))
        await pilot.pause()

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=review)


@SIZES
def test_order_review_of_add_on_credits(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    """Issue 12, defect 4: a pack bought on an annual plan, charged again every month until the renewal."""
    async def review(pilot: Pilot[None]) -> None:
        await settle(pilot)
        quote = await pilot.app.client.create_quote(QuoteRequest(addons=[{"type": "phone", "quantity": 500}]))
        await pilot.app.push_screen(OrderReviewScreen(quote, saved_card(pilot)))
        await pilot.pause()

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=review)


@SIZES
def test_payment_succeeded(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    run_before = paying_with(saved_card, "#ok")
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=run_before)


@SIZES
def test_payment_failed(
    snap_compare: Snap, live_server: LiveServer, admin: httpx.Client, size: tuple[int, int]
) -> None:
    run_before = paying_with(lambda _: choice_for(admin, add_card(admin, DECLINED_CARD)), "#try-another-card")
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=run_before)


@SIZES
def test_three_d_secure_step(
    snap_compare: Snap, live_server: LiveServer, admin: httpx.Client, size: tuple[int, int]
) -> None:
    run_before = paying_with(lambda _: choice_for(admin, add_card(admin, THREE_D_SECURE_CARD)), "#approve-3ds")
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=run_before)


class TestProcessing:
    @pytest.fixture
    def server_settings(self, server_settings: ServerSettings) -> ServerSettings:
        """The payment stays `processing` for longer than the picture takes."""
        return replace(server_settings, payment_delay=600)

    @SIZES
    def test_processing(self, snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
        run_before = paying_with(saved_card, "#processing")
        assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=run_before)
