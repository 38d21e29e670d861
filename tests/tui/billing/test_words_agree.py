"""Issue 12, defects 3-5: every page says the same fact in the same words, and the words are true.

3. A scheduled change is not reported as a payment; 4. auto-renew off is said as off everywhere;
5. "left of N" is the same N on the dashboard and on Plan & Billing, transfers included.
"""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import Static

from kaspr_tui.api.models import QuoteRequest
from kaspr_tui.server.testing import ADMIN_KEY, GLOBEX_KEY, LiveServer
from kaspr_tui.widgets.credit_meter import CreditMeter
from tests.helpers.app import app_for
from tests.helpers.http import DAVID_NEW, DAVID_OLD
from tests.helpers.pages import open_plan_billing, press
from tests.helpers.screen import dialog_message, dialog_title, screen_text, showing, shown
from tests.helpers.waiting import settle, until
from tests.tui.checkout.test_checkout_flow import CheckoutHost, start, to_review
from tests.tui.dialogs.test_billing_details import open_modal, upcoming_words


def left_of(text: str) -> str:
    """`2,660 of 3,000` out of a meter's or a row's words."""
    words = text.replace(" left of ", " of ").split()
    at_of = words.index("of")
    return " ".join(words[at_of - 1: at_of + 2])


@pytest.mark.parametrize(("key", "direction"), [(ADMIN_KEY, "out"), (GLOBEX_KEY, "in")])
async def test_credits_left_of_the_same_total_on_the_dashboard_and_plan_and_billing_after_a_transfer(
    live_server: LiveServer, support: httpx.Client, key: str, direction: str
) -> None:
    moved = support.post("/v1/support/transfers", json={
        "from_email": DAVID_OLD, "to_email": DAVID_NEW, "license": False,
        "credits": {"phone": 150, "direct_email": 0, "export": 0}, "reason": "Changed jobs",
    })
    assert moved.status_code == 200, moved.text
    app = app_for(live_server.url, key)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        [phone] = [balance for balance in app.account.credits if balance.type == "phone"]
        on_dashboard = left_of(str(app.screen.query_one("#credit-phone", CreditMeter).render()))
        await open_plan_billing(pilot)
        on_plan_billing = left_of(shown(app, "#credits-phone"))
    total = phone.used + phone.remaining
    assert on_dashboard == on_plan_billing == f"{phone.remaining:,} of {total:,}"
    # Support moved 150 out of Acme's pool and into Globex's: the period's total says so.
    assert total == phone.included + phone.addon + (150 if direction == "in" else -150)


async def test_a_scheduled_change_is_said_as_scheduled_not_as_a_payment(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host: CheckoutHost = await start(pilot, QuoteRequest(interval="month"))
        review = await to_review(pilot)
        assert review.quote.total_due_now == 0 and review.quote.scheduled_change is not None
        await press(pilot, "#continue-to-payment")
        await until(pilot, lambda: showing(app, "#ok"), "the outcome")
        title, said = dialog_title(app), dialog_message(app)
        await press(pilot, "#ok")
        await until(pilot, lambda: bool(host.results), "run_checkout to return")
    assert title == "Change scheduled"
    assert "Payment" not in said and "Your plan is now" not in said
    assert "Nothing is charged today; from 17 Aug 2027 you are on" in said


async def test_auto_renew_off_is_said_as_off_in_the_pane_and_after_buying(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    # Acme's Export pack (10,000) has auto-renew off in the seed.
    [export] = [addon for addon in admin.get("/v1/subscription").json()["addons"] if addon["type"] == "export"]
    assert not export["auto_renew"]
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        pane_words = " ".join(str(static.render()) for static in app.screen.query(Static))
        assert "10,000 renewing" not in pane_words
        host = await start(pilot, QuoteRequest(addons=[{"type": "export", "quantity": 1000}]))
        await to_review(pilot)
        await press(pilot, "#continue-to-payment")
        await until(pilot, lambda: showing(app, "#ok"), "the outcome")
        said = dialog_message(app)
        await press(pilot, "#ok")
        await until(pilot, lambda: bool(host.results), "run_checkout to return")
    assert "renewing each" not in said
    assert "for this period only" in said


async def test_the_monthly_charge_of_packs_is_said_alike_in_the_review_the_outcome_and_upcoming_charges(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    """Issue 12, defect 4: on an annual plan a pack bought now is charged again at every monthly
    reset; the review, the outcome and Billing details' upcoming charges say so, in the same words,
    and the amount is what the server then charges (Acme renews 500 phone credits; 500 more make
    1,000 at €0.40 plus 20 % VAT)."""
    monthly = "Add-on packs every month from 17 Dec 2026"
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        host = await start(pilot, QuoteRequest(addons=[{"type": "phone", "quantity": 500}]))
        await to_review(pilot)
        review = " ".join(screen_text(app).split())
        await press(pilot, "#continue-to-payment")
        await until(pilot, lambda: showing(app, "#ok"), "the outcome")
        said = dialog_message(app)
        await press(pilot, "#ok")
        await until(pilot, lambda: bool(host.results), "run_checkout to return")
        await settle(pilot)
        await open_modal(pilot)
        upcoming = upcoming_words(app)
    assert f"{monthly} €480.00" in review
    assert f"{monthly}: €480.00." in said
    assert f"{monthly} €480.00" in upcoming
    admin.post("/v1/test_helpers/advance_clock", json={"days": 20}).raise_for_status()
    [issued] = admin.get("/v1/invoices", params={"status": "paid", "limit": 1}).json()["data"]
    assert (issued["created"][:10], issued["total"]) == ("2026-12-17", 48000)
