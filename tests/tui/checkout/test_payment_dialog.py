"""The payment dialog against the bundled server: every outcome a card can have, 3-D Secure,
an answer lost on the way back, a double Enter, and Escape while money is moving."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from textual.pilot import Pilot

from kaspr_tui.api import new_idempotency_key
from kaspr_tui.api.models import Quote
from kaspr_tui.screens.checkout import CheckoutResult, PaymentChoice, ProcessingScreen
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import FAST_CLIENT, app_for, app_over
from tests.helpers.forms import FAILING_CARDS, GOOD_CARD, THREE_D_SECURE_CARD, UPGRADE
from tests.helpers.http import (
    HELD_PAYMENT_SECONDS,
    BrokenOn,
    LoseFirstAnswer,
    add_card,
    choice_for,
    invoices,
    settle_held_payments,
    subscription,
)
from tests.helpers.pages import open_modal
from tests.helpers.screen import dialog_message, dialog_title, notices, screen_text, showing
from tests.helpers.waiting import settle, until


async def pay(pilot: Pilot[None], choice: PaymentChoice) -> tuple[ProcessingScreen, list[object]]:
    """Quote the upgrade and open the payment dialog for it with a fresh key."""
    app = pilot.app
    quote = await app.client.create_quote(UPGRADE)
    dialog = ProcessingScreen(quote, choice, idempotency_key=new_idempotency_key())
    return dialog, await open_modal(pilot, dialog)


async def final(pilot: Pilot[None]) -> None:
    await until(pilot, lambda: showing(pilot.app, "#ok"), "the payment's outcome")


async def test_a_good_card_pays_the_quoted_total_and_says_what_changed(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = invoices(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog, results = await pay(pilot, choice_for(admin, add_card(admin, GOOD_CARD)))
        await final(pilot)
        text = screen_text(app)
        paid = invoices(admin)[0]
        assert "Organization (annual) × 10 seats" in text
        assert paid["number"] in text and paid["total"] == dialog.quote.total_due_now
        await pilot.press("enter")
        await pilot.pause()
    [result] = results
    assert isinstance(result, CheckoutResult) and result.outcome == "succeeded"
    assert len(invoices(admin)) == len(before) + 1
    assert subscription(admin)["plan"] == "organization"


@pytest.mark.parametrize("number", FAILING_CARDS, ids=FAILING_CARDS.values())
async def test_a_refused_card_shows_why_charges_nothing_and_offers_another_card(
    live_server: LiveServer, admin: httpx.Client, number: str
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, results = await pay(pilot, choice_for(admin, add_card(admin, number)))
        await final(pilot)
        assert showing(app, "#try-another-card")
        shown = dialog_message(app)
        await pilot.click("#try-another-card")
        await pilot.pause()
    [result] = results
    assert isinstance(result, CheckoutResult) and result.try_another_card and result.outcome == "failed"
    checkout = result.checkout
    assert checkout is not None and checkout.error is not None and checkout.error.code == FAILING_CARDS[number]
    assert checkout.error.message in shown
    assert admin.get(f"/v1/invoices/{checkout.invoice_id}").json()["status"] == "void"
    assert subscription(admin)["plan"] == "business"


@pytest.mark.parametrize("answer", ["approve", "deny"])
async def test_three_d_secure_asks_the_bank_then_follows_the_answer(
    live_server: LiveServer, admin: httpx.Client, answer: str
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, results = await pay(pilot, choice_for(admin, add_card(admin, THREE_D_SECURE_CARD)))
        await until(pilot, lambda: showing(app, f"#{answer}-3ds"), "the bank's question")
        assert "€2,072.22" in screen_text(app)  # the quote's total due now, as the bank asks it
        await pilot.press("escape")  # the bank's step is part of the payment: Escape cannot skip it
        assert showing(app, f"#{answer}-3ds")
        assert "Close" not in screen_text(app).splitlines()[-1]  # nor does the footer offer it
        await pilot.click(f"#{answer}-3ds")
        await final(pilot)
        await pilot.pause()
        assert "esc Close" in screen_text(app).splitlines()[-1]  # the outcome's footer says how to leave it
        await pilot.press("escape")  # final: Escape is OK
        await pilot.pause()
    [result] = results
    assert isinstance(result, CheckoutResult)
    if answer == "approve":
        assert result.outcome == "succeeded"
        assert subscription(admin)["plan"] == "organization"
    else:
        assert result.outcome == "failed" and result.checkout.error.code == "authentication_failed"
        assert subscription(admin)["plan"] == "business"


async def test_a_price_made_before_the_subscription_changed_goes_back_to_be_priced_again(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        choice = choice_for(admin, add_card(admin, GOOD_CARD))
        stale: Quote = await app.client.create_quote(UPGRADE)
        # Someone else changes the workspace (new billing details) after the price was made.
        details = admin.get("/v1/billing_details").json()
        details.pop("vat_status")
        admin.put("/v1/billing_details", json={**details, "contact_name": "Bob Martin"}).raise_for_status()
        results = await open_modal(pilot, ProcessingScreen(stale, choice, idempotency_key=new_idempotency_key()))
        await until(pilot, lambda: bool(results), "the dialog to go back for a new price")
    # Nothing was charged; the checkout prices it again and the review says what moved.
    [result] = results
    assert isinstance(result, CheckoutResult) and result.outcome == "renew" and result.checkout is None
    assert result.renew_reason == "quote_stale"
    assert subscription(admin)["plan"] == "business"


async def test_a_payment_that_fails_unexpectedly_claims_no_outcome_and_offers_retry(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    # The answer to the payment cannot be read (a bug, not the network): it may have gone through.
    app = app_over(live_server.url, ADMIN_KEY, BrokenOn("/v1/checkouts"), **FAST_CLIENT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, results = await pay(pilot, choice_for(admin, add_card(admin, GOOD_CARD)))
        await until(pilot, lambda: showing(app, "#retry"), "the retry offer")
        said = dialog_message(app)
        assert "We couldn't confirm your payment" in said and "RuntimeError" in said
        [notice] = [notice for notice in notices(app) if notice.severity == "error"]
        assert notice.title == "Something went wrong"
        await pilot.press("escape")
        await pilot.pause()
    [result] = results
    assert isinstance(result, CheckoutResult) and result.outcome == "cancelled"


class TestWhileThePaymentIsProcessing:
    """Payments stay `processing` until the test settles them: keys are pressed while one is in flight."""

    @pytest.fixture
    def server_settings(self, server_settings: ServerSettings) -> ServerSettings:
        return replace(server_settings, payment_delay=HELD_PAYMENT_SECONDS, still_clock=True)

    async def test_escape_while_processing_does_not_pretend_to_cancel(
        self, live_server: LiveServer, admin: httpx.Client
    ) -> None:
        app = app_for(live_server.url, ADMIN_KEY)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            _, results = await pay(pilot, choice_for(admin, add_card(admin, GOOD_CARD)))
            assert showing(app, "#processing") and not showing(app, "#ok")
            await pilot.press("escape")
            await pilot.pause()
            assert results == [] and isinstance(app.screen, ProcessingScreen)
            settle_held_payments(admin)
            await final(pilot)
            await pilot.press("escape")
            await pilot.pause()
        [result] = results
        assert isinstance(result, CheckoutResult) and result.outcome == "succeeded"

    async def test_a_lost_answer_is_found_again_in_the_checkouts_and_charges_once(
        self, live_server: LiveServer, admin: httpx.Client
    ) -> None:
        before = invoices(admin)
        transport = LoseFirstAnswer("/v1/checkouts")
        app = app_over(live_server.url, ADMIN_KEY, transport, **FAST_CLIENT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            dialog, results = await pay(pilot, choice_for(admin, add_card(admin, GOOD_CARD)))
            settle_held_payments(admin)
            await final(pilot)
            # The payment went through on the server: found by GET /v1/checkouts, not paid again.
            assert dialog_title(app) == "Payment succeeded"
            await pilot.press("enter")
            await pilot.pause()
        [result] = results
        assert isinstance(result, CheckoutResult) and result.outcome == "succeeded"
        assert transport.keys == [dialog.idempotency_key]
        after = invoices(admin)
        assert [invoice["status"] for invoice in after[: len(after) - len(before)]] == ["paid"]
        assert subscription(admin)["plan"] == "organization"

    async def test_a_lost_answer_not_found_either_is_retried_with_the_same_key_and_charges_once(
        self, live_server: LiveServer, admin: httpx.Client
    ) -> None:
        before = invoices(admin)
        transport = LoseFirstAnswer("/v1/checkouts")
        transport.lose_lookups = 1  # the look-up for it fails too
        app = app_over(live_server.url, ADMIN_KEY, transport, **FAST_CLIENT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            dialog, results = await pay(pilot, choice_for(admin, add_card(admin, GOOD_CARD)))
            await until(pilot, lambda: showing(app, "#retry"), "the retry offer")
            said = dialog_message(app)
            assert "We couldn't confirm your payment" in said and "Nothing is charged twice" in said
            # The first payment went through on the server; the dialog does not claim either way.
            assert "succeeded" not in screen_text(app).lower() and "failed" not in screen_text(app).lower()
            app.screen.query_one("#retry").focus()
            await pilot.press("enter", "enter")  # the second lands while processing: it presses nothing
            assert showing(app, "#processing")
            settle_held_payments(admin)
            await final(pilot)
            await pilot.press("enter")
            await pilot.pause()
        [result] = results
        assert isinstance(result, CheckoutResult) and result.outcome == "succeeded"
        assert transport.keys == [dialog.idempotency_key] * 2
        after = invoices(admin)
        assert [invoice["status"] for invoice in after[: len(after) - len(before)]] == ["paid"]
        assert subscription(admin)["plan"] == "organization"

