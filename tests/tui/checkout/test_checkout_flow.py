"""The whole checkout, as the Upgrade pane and the add-on modals run it: a host screen calls
`run_checkout` with a request, and the test goes through the billing form, the order review and
the payment dialog with the keyboard, against the bundled server."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from textual import events
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, Static

from kaspr_tui.api.models import Checkout, QuoteRequest
from kaspr_tui.screens.checkout import (
    BillingFormScreen,
    OrderReviewScreen,
    ProcessingScreen,
    run_checkout,
)
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, GLOBEX_KEY, LiveServer
from kaspr_tui.widgets.forms.form_field import FormField
from tests.helpers.app import app_for
from tests.helpers.forms import DECLINED_WHEN_SAVED, FAILING_CARDS, GOOD_CARD, THREE_D_SECURE_CARD, UPGRADE
from tests.helpers.http import HELD_PAYMENT_SECONDS, invoices, settle_held_payments, subscription
from tests.helpers.pages import press
from tests.helpers.screen import dialog_message, notices, screen_text, showing
from tests.helpers.waiting import settle, until

CARD_FIELD_OF_REASON = {"expired_card": "#card-expiry-field", "incorrect_cvc": "#card-cvc-field"}
"""A refused card's reason belongs beside the field the person should fix; others by the number."""
DOWNGRADE = QuoteRequest(plan="starter", interval="month", seats=8)


class CheckoutHost(Screen[None]):
    """Stands in for the Upgrade pane: runs the checkout for one request and keeps what it returned."""

    def __init__(self, request: QuoteRequest) -> None:
        super().__init__()
        self.request = request
        self.results: list[Checkout | None] = []

    def compose(self) -> ComposeResult:
        yield Static("Upgrade pane stand-in")

    def on_mount(self) -> None:
        self.run_worker(self._checkout(), group="checkout", exclusive=True)

    async def _checkout(self) -> None:
        self.results.append(await run_checkout(self, self.request, title="Change plan"))


async def start(pilot: Pilot[None], request: QuoteRequest) -> CheckoutHost:
    await settle(pilot)
    host = CheckoutHost(request)
    await pilot.app.push_screen(host)
    return host


async def at(pilot: Pilot[None], screen_type: type[Screen]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, screen_type), screen_type.__name__)
    await pilot.pause()


async def fill_in_card(pilot: Pilot[None], number: str) -> None:
    """Untick the saved card and paste a new card's fields in, one input at a time."""
    screen = pilot.app.screen
    saved = screen.query_one("#use-saved-card", Checkbox)
    if saved.display and saved.value:
        saved.focus()
        await pilot.press("space")
    typed = {"#card-number": number, "#card-expiry": "12/30", "#card-cvc": "123", "#card-name": "Alice Martin"}
    for selector, pasted in typed.items():
        field = screen.query_one(selector)
        field.focus()
        field.post_message(events.Paste(pasted))
        await pilot.pause()


async def to_review(pilot: Pilot[None], card: str | None = None) -> OrderReviewScreen:
    """From the billing form (with the saved card, or a new one) to the order review."""
    await at(pilot, BillingFormScreen)
    if card is not None:
        await fill_in_card(pilot, card)
    await press(pilot, "#submit")
    await at(pilot, OrderReviewScreen)
    return pilot.app.screen


async def pay_and_wait(pilot: Pilot[None]) -> None:
    await press(pilot, "#continue-to-payment")
    await at(pilot, ProcessingScreen)
    await until(pilot, lambda: showing(pilot.app, "#ok"), "the payment's outcome")


async def finish(pilot: Pilot[None], host: CheckoutHost) -> Checkout | None:
    await press(pilot, "#ok")
    await until(pilot, lambda: bool(host.results), "run_checkout to return")
    await settle(pilot)  # the account reload it started
    [result] = host.results
    return result


def new_since(before: list[dict], client: httpx.Client) -> list[dict]:
    after = invoices(client)
    return after[: len(after) - len(before)]


async def test_an_upgrade_charges_the_prorated_quote_and_changes_the_plan(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = invoices(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, UPGRADE)
        review = await to_review(pilot)
        # The same change priced through the API at the same (frozen) instant costs the same.
        priced = admin.post("/v1/quotes", json=UPGRADE.model_dump(exclude_defaults=True)).json()
        assert review.quote.total_due_now == priced["total_due_now"]
        assert any(line.amount < 0 for line in review.quote.lines) and "(credit)" in screen_text(app)
        assert "Next renewal on 17 Aug 2027" in screen_text(app)  # an upgrade keeps Acme's period
        await pay_and_wait(pilot)
        checkout = await finish(pilot, host)
        assert app.account.subscription.plan == "organization"  # the app reloaded its account
    assert checkout is not None and checkout.status == "succeeded"
    [paid] = new_since(before, admin)
    assert paid["number"] == "ACME-2026-000013"  # the next in Acme's gapless sequence (12 seeded)
    assert paid["status"] == "paid" and paid["total"] == priced["total_due_now"]
    assert subscription(admin)["plan"] == "organization"


async def test_monthly_to_annual_for_a_reverse_charge_customer(live_server: LiveServer, globex: httpx.Client) -> None:
    before = invoices(globex)
    app = app_for(live_server.url, GLOBEX_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, QuoteRequest(interval="year"))
        review = await to_review(pilot)
        assert review.quote.tax.reverse_charge and "VAT 0 % (reverse charge" in screen_text(app)
        assert "Next renewal on 27 Nov 2027" in screen_text(app)  # a new year starts today (the frozen clock)
        await pay_and_wait(pilot)
        checkout = await finish(pilot, host)
    assert checkout is not None and checkout.status == "succeeded"
    [paid] = new_since(before, globex)
    assert paid["number"].startswith("GLBX-") and paid["total"] == checkout.quote.total_due_now
    assert subscription(globex)["interval"] == "year"


async def test_a_downgrade_is_scheduled_without_a_charge_and_can_be_cancelled(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = invoices(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, DOWNGRADE)
        review = await to_review(pilot)
        scheduled = str(review.query_one("#order-scheduled", Static).content)
        assert "Changes to Starter (monthly) × 8 seats on 17 Aug 2027" in scheduled  # Acme's period end
        assert "nothing to pay now" in scheduled
        assert review.quote.total_due_now == 0
        await pay_and_wait(pilot)
        assert "Nothing is charged today; from 17 Aug 2027 you are on Starter (monthly) × 8 seats" in (
            dialog_message(app)
        )
        checkout = await finish(pilot, host)
    assert checkout is not None and checkout.status == "succeeded"
    assert new_since(before, admin) == []
    now = subscription(admin)
    assert now["plan"] == "business" and now["scheduled_change"]["plan"] == "starter"
    admin.delete("/v1/subscription/scheduled_change").raise_for_status()
    assert subscription(admin)["scheduled_change"] is None


@pytest.mark.parametrize("number", FAILING_CARDS, ids=FAILING_CARDS.values())
async def test_a_refused_card_changes_nothing_and_another_card_then_pays(
    live_server: LiveServer, admin: httpx.Client, number: str
) -> None:
    before = invoices(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, UPGRADE)
        await to_review(pilot, card=number)
        await pay_and_wait(pilot)
        failed = app.screen.checkout
        assert failed.error.code == FAILING_CARDS[number] and failed.error.message in dialog_message(app)
        assert subscription(admin)["plan"] == "business"
        await press(pilot, "#try-another-card")
        await at(pilot, BillingFormScreen)
        # Back at the form, the reason shows beside the card field it concerns.
        field = CARD_FIELD_OF_REASON.get(failed.error.code, "#card-number-field")
        assert app.screen.query_one(field, FormField).error == failed.error.message
        await to_review(pilot, card=GOOD_CARD)
        await pay_and_wait(pilot)
        checkout = await finish(pilot, host)
    assert checkout is not None and checkout.status == "succeeded"
    assert [invoice["status"] for invoice in new_since(before, admin)] == ["paid", "void"]
    assert subscription(admin)["plan"] == "organization"


@pytest.mark.parametrize("answer", ["approve", "deny"])
async def test_three_d_secure_through_the_whole_flow(
    live_server: LiveServer, admin: httpx.Client, answer: str
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, UPGRADE)
        await to_review(pilot, card=THREE_D_SECURE_CARD)
        await press(pilot, "#continue-to-payment")
        await until(pilot, lambda: showing(app, "#approve-3ds"), "the bank's question")
        await press(pilot, f"#{answer}-3ds")
        await until(pilot, lambda: showing(app, "#ok"), "the payment's outcome")
        checkout = await finish(pilot, host)
    expected_plan = "organization" if answer == "approve" else "business"
    assert subscription(admin)["plan"] == expected_plan
    assert (checkout is not None) == (answer == "approve")


@pytest.mark.parametrize("leave_at", [BillingFormScreen, OrderReviewScreen], ids=["form", "review"])
async def test_escape_before_paying_changes_nothing(
    live_server: LiveServer, admin: httpx.Client, leave_at: type[Screen]
) -> None:
    before = (invoices(admin), subscription(admin), admin.get("/v1/payment_methods").json())
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, UPGRADE)
        await at(pilot, BillingFormScreen)
        if leave_at is OrderReviewScreen:
            await to_review(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: bool(host.results), "run_checkout to return")
        assert app.screen is host
    assert host.results == [None]
    assert (invoices(admin), subscription(admin), admin.get("/v1/payment_methods").json()) == before


async def test_a_change_the_server_refuses_is_said_before_the_form(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, QuoteRequest(seats=5))  # Acme has 7 members and 1 invitation
        await until(pilot, lambda: bool(host.results), "run_checkout to return")
        [notice] = notices(app)
        assert notice.severity == "error" and "members" in notice.message
        assert app.screen is host
    assert host.results == [None]


class TestWhileThePaymentIsProcessing:
    @pytest.fixture
    def server_settings(self, server_settings: ServerSettings) -> ServerSettings:
        """Payments stay `processing` until the test moves the still clock, so a second Enter lands
        while one is in flight however slow the machine."""
        return replace(server_settings, payment_delay=HELD_PAYMENT_SECONDS, still_clock=True)

    async def test_a_double_enter_on_continue_pays_once(self, live_server: LiveServer, admin: httpx.Client) -> None:
        before = invoices(admin)
        app = app_for(live_server.url, ADMIN_KEY)
        async with app.run_test(size=(80, 24)) as pilot:
            host = await start(pilot, UPGRADE)
            await to_review(pilot)
            app.screen.query_one("#continue-to-payment").focus()
            await pilot.press("enter", "enter")
            await at(pilot, ProcessingScreen)
            settle_held_payments(admin)
            await until(pilot, lambda: showing(app, "#ok"), "the payment's outcome")
            checkout = await finish(pilot, host)
        assert checkout is not None
        assert [invoice["status"] for invoice in new_since(before, admin)] == ["paid"]


async def test_a_card_blocked_as_the_payment_starts_goes_back_to_the_form_beside_the_number(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    """The card is sent with the payment now (rule 11): a card the processor refuses at once (402)
    is a refusal to start, with the reason beside the number when the person goes back; nothing kept."""
    before = (invoices(admin), admin.get("/v1/payment_methods").json())
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, UPGRADE)
        await to_review(pilot, card=DECLINED_WHEN_SAVED)
        await press(pilot, "#continue-to-payment")
        await at(pilot, ProcessingScreen)
        await until(pilot, lambda: showing(app, "#try-another-card"), "the refusal")
        assert "Nothing was charged." in dialog_message(app)
        await press(pilot, "#try-another-card")
        await at(pilot, BillingFormScreen)
        assert app.screen.query_one("#card-number-field", FormField).error
        await pilot.press("escape")
        await until(pilot, lambda: bool(host.results), "run_checkout to return")
    assert host.results == [None]
    assert (invoices(admin), admin.get("/v1/payment_methods").json()) == before
