"""API.md rule 11: nothing is saved until the customer confirms the order. `POST /v1/checkouts` may
carry the order's billing details and a new card; the invoice is issued to those details, and they
become the workspace's details, and the card its default card, only when the payment succeeds."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer

GERMAN = {
    "company": "Acme GmbH", "contact_name": "Alice Martin", "email": "rechnung@acme.example",
    "address": {"line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117", "country": "DE"},
    "vat_number": "DE136695976",
}
"""Reverse charge (0 % VAT), where Acme's saved French details pay 20 %."""
FRENCH = {
    "company": "Acme SAS", "contact_name": "Alice Martin", "email": "factures@acme.example",
    "address": {"line1": "1 place Bellecour", "city": "Lyon", "postal_code": "69002", "country": "FR"},
    "vat_number": "FR40303265045",
}
MASTERCARD = {"number": "5555555555554444", "exp_month": 11, "exp_year": 2031, "cvc": "486", "name": "Alice Martin"}
DECLINED = {**MASTERCARD, "number": "4000000000000002"}
THREE_D_SECURE = {**MASTERCARD, "number": "4000002760003184"}


class Order:
    def __init__(self, admin: httpx.Client) -> None:
        self.admin = admin
        self._keys = 0

    def quote(self, **body: object) -> dict:
        response = self.admin.post("/v1/quotes", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def pay(self, quote_id: str, **inline: object) -> httpx.Response:
        self._keys += 1
        return self.admin.post("/v1/checkouts", json={"quote_id": quote_id, **inline},
                               headers={"Idempotency-Key": f"order-{self._keys}"})

    def saved(self) -> tuple[object, ...]:
        """What the order must not change unless it is paid: billing details, default card, card list."""
        cards = self.admin.get("/v1/payment_methods").json()["data"]
        return (self.admin.get("/v1/billing_details").json(),
                self.admin.get("/v1/subscription").json()["payment_method"], cards)


@pytest.fixture
def order(admin: httpx.Client) -> Order:
    return Order(admin)


def test_a_paid_order_saves_its_details_and_card_and_its_invoice_is_issued_to_them(order: Order) -> None:
    quote = order.quote(seats=11, billing_details=GERMAN)
    assert (quote["tax"]["rate_percent"], quote["tax"]["reverse_charge"]) == (0.0, True)
    response = order.pay(quote["id"], payment_method=MASTERCARD, billing_details=GERMAN)
    assert response.status_code == 202, response.text
    checkout = response.json()
    assert checkout["status"] == "succeeded"
    invoice = order.admin.get(f"/v1/invoices/{checkout['invoice_id']}").json()
    assert (invoice["billing_details"]["company"], invoice["billing_details"]["vat_number"]) == ("Acme GmbH",
                                                                                                "DE136695976")
    assert (invoice["payment_method"]["last4"], invoice["total"]) == ("4444", quote["total_due_now"])
    details, default, cards = order.saved()
    assert (details["company"], details["address"]["country"]) == ("Acme GmbH", "DE")
    assert default == {"brand": "mastercard", "last4": "4444"}
    assert [(card["last4"], card["is_default"]) for card in cards] == [("4444", True), ("4242", False)]


@pytest.mark.parametrize("card", [DECLINED, THREE_D_SECURE], ids=["declined", "3-D Secure denied"])
def test_an_order_that_fails_or_is_denied_saves_nothing(order: Order, card: dict) -> None:
    before = order.saved()
    checkout = order.pay(order.quote(seats=11, billing_details=FRENCH)["id"], payment_method=card,
                         billing_details=FRENCH).json()
    if checkout["status"] == "requires_action":
        checkout = order.admin.post(f"/v1/checkouts/{checkout['id']}/authenticate", json={"result": "deny"}).json()
    assert checkout["status"] == "failed"
    assert order.saved() == before
    voided = order.admin.get(f"/v1/invoices/{checkout['invoice_id']}").json()
    assert (voided["status"], voided["billing_details"]["company"]) == ("void", "Acme SAS")


def test_an_order_never_confirmed_by_the_bank_saves_nothing(order: Order) -> None:
    before = order.saved()
    checkout = order.pay(order.quote(seats=11)["id"], payment_method=THREE_D_SECURE, billing_details=FRENCH).json()
    assert checkout["status"] == "requires_action"
    assert order.saved() == before
    order.admin.post("/v1/test_helpers/advance_clock", json={"seconds": 15 * 60}).raise_for_status()
    assert order.admin.get(f"/v1/checkouts/{checkout['id']}").json()["status"] == "failed"
    assert order.saved() == before


def test_an_order_still_processing_has_saved_nothing_yet(server_settings: ServerSettings) -> None:
    with LiveServer(replace(server_settings, payment_delay=3600)) as server, httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as admin:
        order = Order(admin)
        before = order.saved()
        checkout = order.pay(order.quote(seats=11)["id"], payment_method=MASTERCARD, billing_details=FRENCH).json()
        assert checkout["status"] == "processing"
        assert order.saved() == before


def test_every_problem_with_the_orders_card_and_details_at_once(order: Order) -> None:
    before = order.saved()
    card = {**MASTERCARD, "number": "5555555555554445", "cvc": "12"}
    details = {**FRENCH, "email": "factures@", "address": {**FRENCH["address"], "postal_code": "6900"}}
    response = order.pay(order.quote(seats=11)["id"], payment_method=card, billing_details=details)
    assert response.status_code == 400
    assert {(e["param"], e["code"]) for e in response.json()["error"]["errors"]} == {
        ("payment_method.number", "card_number_invalid"), ("payment_method.cvc", "cvc_invalid"),
        ("billing_details.email", "email_invalid"),
        ("billing_details.address.postal_code", "postal_code_invalid"),
    }
    assert "5555555555554445" not in response.text
    assert order.saved() == before


def test_a_quote_for_billing_details_is_checked_like_the_details_are(order: Order) -> None:
    response = order.admin.post("/v1/quotes", json={"seats": 11, "billing_details": {**GERMAN, "vat_number": "DE1"}})
    error = response.json()["error"]
    assert (response.status_code, error["param"], error["code"]) == (400, "billing_details.vat_number",
                                                                     "tax_id_invalid")


def test_details_with_another_vat_than_the_quotes_need_a_new_quote(order: Order) -> None:
    quote = order.quote(seats=11)  # priced with the saved French details: 20 %
    response = order.pay(quote["id"], payment_method_id="pm_000001", billing_details=GERMAN)
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (400, "quote_stale", "billing_details")
    assert order.pay(quote["id"], payment_method_id="pm_000001", billing_details=FRENCH).json()["status"] == \
        "succeeded"


@pytest.mark.parametrize(("inline", "code"), [({"payment_method_id": "pm_000001", "payment_method": MASTERCARD},
                                               "parameter_invalid"), ({}, "parameter_missing")],
                         ids=["both", "neither"])
def test_an_order_pays_with_one_card(order: Order, inline: dict, code: str) -> None:
    response = order.pay(order.quote(seats=11)["id"], **inline)
    assert (response.status_code, response.json()["error"]["code"]) == (400, code)


def test_the_same_card_saved_twice_is_one_card(order: Order) -> None:
    first = order.admin.post("/v1/payment_methods", json=MASTERCARD).json()
    renewed = order.admin.post("/v1/payment_methods", json={**MASTERCARD, "number": "5555 5555 5555 4444",
                                                               "exp_year": 2033, "make_default": True}).json()
    assert renewed["id"] == first["id"]
    assert (renewed["exp_year"], renewed["is_default"]) == (2033, True)
    cards = order.admin.get("/v1/payment_methods").json()["data"]
    assert [card["last4"] for card in cards] == ["4444", "4242"]


def test_an_order_with_a_card_already_saved_uses_that_card(order: Order) -> None:
    saved = order.admin.post("/v1/payment_methods", json=MASTERCARD).json()
    checkout = order.pay(order.quote(seats=11)["id"], payment_method=MASTERCARD).json()
    assert checkout["status"] == "succeeded"
    cards = order.admin.get("/v1/payment_methods").json()["data"]
    assert [(card["id"], card["is_default"]) for card in cards] == [(saved["id"], True), ("pm_000001", False)]


def test_an_order_retried_with_its_key_pays_once_and_keeps_no_card_number(
    order: Order, live_server: LiveServer
) -> None:
    quote = order.quote(seats=11)
    body = {"quote_id": quote["id"], "payment_method": MASTERCARD, "billing_details": FRENCH}
    key = {"Idempotency-Key": "inline-once"}
    first = order.admin.post("/v1/checkouts", json=body, headers=key)
    again = order.admin.post("/v1/checkouts", json=body, headers=key)
    assert (first.status_code, again.status_code, again.headers.get("Idempotent-Replayed")) == (202, 202, "true")
    assert again.json()["id"] == first.json()["id"]
    assert len(order.admin.get("/v1/payment_methods").json()["data"]) == 2
    with sqlite3.connect(live_server.settings.db_path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        stored = "\n".join(repr(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"'))
    assert MASTERCARD["number"] not in stored and MASTERCARD["number"][:12] not in stored
    assert f'"{MASTERCARD["cvc"]}"' not in stored
