"""Payments on the server's clock, deterministically: a still clock (no real second passes) with
payments that take a minute, moved only by advance_clock. What a checkout does when the state it
was quoted against changes while it is in progress (API.md rule 6)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY, LiveServer

PAYMENT_DELAY = 60
ACME_CARD = "pm_000001"
THREE_D_SECURE = "4000002760003184"
DAVID_AT_GLOBEX = "david.chen@globex.example"


class Still:
    """Acme's admin, member and support on a server whose clock moves only when told."""

    def __init__(self, server: LiveServer) -> None:
        def client(key: str) -> httpx.Client:
            return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=10)

        self.admin, self.member, self.support = client(ADMIN_KEY), client(MEMBER_KEY), client(SUPPORT_KEY)
        self._keys = 0

    def close(self) -> None:
        for client in (self.admin, self.member, self.support):
            client.close()

    def advance(self, **by: int) -> None:
        self.admin.post("/v1/test_helpers/advance_clock", json=by).raise_for_status()

    def pay(self, card: str = ACME_CARD, **quote: object) -> dict:
        self._keys += 1
        quote_id = self.admin.post("/v1/quotes", json=quote).raise_for_status().json()["id"]
        response = self.admin.post("/v1/checkouts", json={"quote_id": quote_id, "payment_method_id": card},
                                   headers={"Idempotency-Key": f"still-{self._keys}"})
        assert response.status_code == 202, response.text
        return response.json()

    def checkout(self, checkout_id: str) -> dict:
        return self.admin.get(f"/v1/checkouts/{checkout_id}").json()

    def subscription(self) -> dict:
        return self.admin.get("/v1/subscription").json()

    def credits(self) -> dict[str, dict]:
        return {c["type"]: c for c in self.admin.get("/v1/credits").json()["data"]}

    def paid_numbers(self) -> list[str]:
        invoices = self.admin.get("/v1/invoices", params={"limit": 100, "status": "paid"}).json()["data"]
        return [invoice["number"] for invoice in invoices]

    def now(self) -> datetime:
        return datetime.fromisoformat(self.admin.get("/v1/events", params={"limit": 1}).json()["data"][0]["created"])

    def advance_to_just_before(self, moment: str, seconds: int) -> None:
        """Move the clock to `seconds` before `moment` (an RFC 3339 time ahead)."""
        start = self.admin.post("/v1/test_helpers/advance_clock", json={"seconds": 1}).json()["now"]
        left = datetime.fromisoformat(moment) - datetime.fromisoformat(start) - timedelta(seconds=seconds)
        self.advance(days=left.days, seconds=left.seconds)

    def move_davids_license_to_acme(self) -> None:
        response = self.support.post("/v1/support/transfers", json={
            "from_email": DAVID_AT_GLOBEX, "to_email": "alice@acme.example", "license": True,
            "reason": "David came back to Acme"})
        assert response.status_code == 200, response.text


@pytest.fixture
def still(server_settings: ServerSettings) -> Iterator[Still]:
    settings = replace(server_settings, still_clock=True, payment_delay=PAYMENT_DELAY)
    with LiveServer(settings) as server:
        session = Still(server)
        yield session
        session.close()


def test_a_payment_takes_its_delay_on_the_servers_clock(still: Still) -> None:
    checkout = still.pay(seats=11)
    assert checkout["status"] == "processing"
    still.advance(seconds=PAYMENT_DELAY - 1)
    assert still.checkout(checkout["id"])["status"] == "processing"
    assert still.subscription()["seats"] == 10
    still.advance(seconds=1)
    assert still.checkout(checkout["id"])["status"] == "succeeded"
    assert still.subscription()["seats"] == 11


def test_the_clock_must_move(still: Still) -> None:
    response = still.admin.post("/v1/test_helpers/advance_clock", json={})
    assert (response.status_code, response.json()["error"]["code"]) == (400, "parameter_missing")


def test_a_payment_still_in_progress_at_the_monthly_reset_fails_with_nothing_charged(still: Still) -> None:
    reset_at = still.credits()["phone"]["resets_at"]
    still.advance_to_just_before(reset_at, seconds=10)
    paid_before = still.paid_numbers()
    checkout = still.pay(seats=11)
    still.advance(days=1)
    failed = still.checkout(checkout["id"])
    assert (failed["status"], failed["error"]["code"]) == ("failed", "quote_outdated")
    assert "credit period began" in failed["error"]["message"] and "nothing was charged" in failed["error"]["message"]
    assert still.subscription()["seats"] == 10
    voided = still.admin.get(f"/v1/invoices/{checkout['invoice_id']}").json()
    assert (voided["status"], voided["number"], voided["payment_error"]["code"]) == ("void", None, "quote_outdated")
    assert len(still.paid_numbers()) == len(paid_before) + 1  # the reset's own invoice for the phone pack


def test_a_renewal_while_a_checkout_is_open_fails_it(still: Still) -> None:
    renewal = still.subscription()["current_period_end"]
    still.advance_to_just_before(renewal, seconds=10)
    addon_before = still.credits()["phone"]["addon"]
    checkout = still.pay(addons=[{"type": "phone", "quantity": 100}])  # packs are never prorated
    still.advance(seconds=PAYMENT_DELAY)
    failed = still.checkout(checkout["id"])
    assert (failed["status"], failed["error"]["code"]) == ("failed", "quote_outdated")
    assert "renewed" in failed["error"]["message"]
    assert still.subscription()["current_period_start"] == renewal
    assert still.credits()["phone"]["addon"] == addon_before


def test_a_payment_done_before_the_renewal_the_clock_jumped_over_is_applied_first(still: Still) -> None:
    checkout = still.pay(seats=11)
    still.advance(days=400)
    assert still.checkout(checkout["id"])["status"] == "succeeded"
    renewal = next(invoice for invoice in still.admin.get("/v1/invoices", params={"limit": 100}).json()["data"]
                   if invoice["created"].startswith("2027-08-17"))
    lines = still.admin.get(f"/v1/invoices/{renewal['id']}").json()["lines"]
    assert lines[0]["quantity"] == 11


def test_an_unanswered_3d_secure_step_fails_when_its_quote_expires(still: Still) -> None:
    card = still.admin.post("/v1/payment_methods", json={
        "number": THREE_D_SECURE, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin",
    }).json()["id"]
    checkout = still.pay(card, seats=11)
    assert checkout["status"] == "requires_action"
    still.advance(seconds=15 * 60 - 1)
    assert still.checkout(checkout["id"])["status"] == "requires_action"
    still.advance(seconds=1)
    [failed] = still.admin.get("/v1/checkouts", params={"status": "failed"}).json()["data"]
    assert (failed["id"], failed["error"]["code"]) == (checkout["id"], "authentication_expired")
    # Nothing is open any more: the next purchase goes through.
    assert still.pay(addons=[{"type": "phone", "quantity": 25}])["status"] == "processing"


def test_a_3d_secure_approval_in_time_then_takes_the_payment_delay(still: Still) -> None:
    card = still.admin.post("/v1/payment_methods", json={
        "number": THREE_D_SECURE, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin",
    }).json()["id"]
    checkout = still.pay(card, seats=11)
    still.advance(seconds=14 * 60)
    approved = still.admin.post(f"/v1/checkouts/{checkout['id']}/authenticate", json={"result": "approve"}).json()
    assert approved["status"] == "processing"
    still.advance(seconds=PAYMENT_DELAY)  # past the quote's 15 minutes: it was approved in time
    assert still.checkout(checkout["id"])["status"] == "succeeded"
    assert still.subscription()["seats"] == 11


def test_credits_bought_while_a_license_moves_in_keep_the_license(still: Still) -> None:
    checkout = still.pay(addons=[{"type": "phone", "quantity": 100}])
    still.move_davids_license_to_acme()
    still.advance(seconds=PAYMENT_DELAY)
    assert still.checkout(checkout["id"])["status"] == "succeeded"
    assert still.subscription()["seats"] == 11
    assert still.credits()["phone"]["addon"] == 500 + 100


def test_credits_used_while_a_purchase_processes_stay_used(still: Still) -> None:
    used = still.credits()["phone"]["used"]
    checkout = still.pay(seats=12, addons=[{"type": "phone", "quantity": 100}])
    assert still.member.post("/v1/credits/consume", json={"type": "phone", "quantity": 30}).status_code == 200
    still.advance(seconds=PAYMENT_DELAY)
    assert still.checkout(checkout["id"])["status"] == "succeeded"
    phone = still.credits()["phone"]
    assert (phone["used"], phone["included"], phone["addon"]) == (used + 30, 12 * 200, 500 + 100)


def test_seats_bought_past_the_plans_limit_once_a_license_moved_in_fail_with_nothing_charged(still: Still) -> None:
    checkout = still.pay(seats=200)  # the Business plan's most
    still.move_davids_license_to_acme()
    still.advance(seconds=PAYMENT_DELAY)
    failed = still.checkout(checkout["id"])
    assert (failed["status"], failed["error"]["code"]) == ("failed", "quote_outdated")
    assert "201 licenses" in failed["error"]["message"] and "200" in failed["error"]["message"]
    assert still.subscription()["seats"] == 11


def test_a_restart_while_a_payment_processes_settles_it_once(server_settings: ServerSettings) -> None:
    settings = replace(server_settings, still_clock=True, payment_delay=PAYMENT_DELAY)
    with LiveServer(settings) as server:
        session = Still(server)
        checkout = session.pay(seats=11)
        paid_before = session.paid_numbers()
        session.close()
    with LiveServer(settings) as restarted:
        session = Still(restarted)
        assert session.checkout(checkout["id"])["status"] == "processing"
        session.advance(seconds=PAYMENT_DELAY)
        assert session.checkout(checkout["id"])["status"] == "succeeded"
        assert (session.subscription()["seats"], len(session.paid_numbers())) == (11, len(paid_before) + 1)
        session.close()


def test_a_settlement_that_does_not_settle_fails_the_request_instead_of_spinning(
    still: Still, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaspr_tui.server import processor

    checkout = still.pay(seats=11)
    monkeypatch.setattr(processor, "settle", lambda tx, checkout_id: None)  # a bug: the payment stays due
    response = still.admin.post("/v1/test_helpers/advance_clock", json={"seconds": PAYMENT_DELAY})
    assert (response.status_code, response.json()["error"]["code"]) == (500, "internal_error")
    monkeypatch.undo()
    assert still.checkout(checkout["id"])["status"] == "succeeded"
