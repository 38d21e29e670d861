"""Quotes: what a change costs now and later, checked against the seat rules, taxed by address.

Acme (seeded): Business annual, 10 seats, period 2026-08-17 → 2027-08-17, 7 members and 1
pending invitation, billed in France with a valid FR VAT number; the clock is 2026-11-27 09:00 UTC.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from fractions import Fraction
from math import floor

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import FROZEN_NOW

PERIOD_START = datetime(2026, 8, 17, tzinfo=UTC)
PERIOD_END = datetime(2027, 8, 17, tzinfo=UTC)
SHARE_LEFT = Fraction(int((PERIOD_END - FROZEN_NOW).total_seconds()), int((PERIOD_END - PERIOD_START).total_seconds()))
"""262 days 15 hours of 365 days are left in the period."""

BUSINESS_ANNUAL_SEAT = 7900 * 12
ORGANIZATION_ANNUAL_SEAT = 9900 * 12


def half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2)) if value >= 0 else -floor(-value + Fraction(1, 2))


def test_the_share_of_the_period_left_is_what_the_calendar_says() -> None:
    assert SHARE_LEFT == Fraction(262 * 24 + 15, 365 * 24)


def test_adding_seats_charges_the_rest_of_the_period_to_the_cent(billing) -> None:
    quote = billing.quote(seats=12)
    expected = half_up(2 * BUSINESS_ANNUAL_SEAT * SHARE_LEFT)
    assert expected == 136421  # 189,600 × 262.625 / 365 = 136,421.096
    assert [(line["quantity"], line["unit_amount"], line["amount"]) for line in quote["lines"]] == [
        (2, BUSINESS_ANNUAL_SEAT, expected)
    ]
    assert quote["subtotal"] == expected
    assert quote["tax"] == {"rate_percent": 20.0, "amount": half_up(Fraction(expected) / 5),
                            "reverse_charge": False, "country": "FR"}
    assert quote["total_due_now"] == expected + half_up(Fraction(expected) / 5)
    assert quote["scheduled_for"] is None
    # Next year: 12 seats of Business annual plus the 500 phone credits that renew (export does not).
    assert quote["next_renewal_total"] == half_up((12 * BUSINESS_ANNUAL_SEAT + 500 * 40) * Fraction(6, 5))
    assert quote["renews_at"] == "2027-08-17T00:00:00Z"  # added seats keep the period: it renews at its end


def test_an_upgrade_credits_the_unused_plan_and_charges_the_new_one(billing) -> None:
    quote = billing.quote(plan="organization")
    credit = -half_up(10 * BUSINESS_ANNUAL_SEAT * SHARE_LEFT)
    charge = half_up(10 * ORGANIZATION_ANNUAL_SEAT * SHARE_LEFT)
    assert [line["amount"] for line in quote["lines"]] == [credit, charge]
    assert quote["subtotal"] == charge + credit == 854790 - 682105  # 1,188,000 and 948,000 × 262.625 / 365
    assert quote["effective_at"] == "2026-11-27T09:00:00Z"
    assert quote["scheduled_change"] is None


def test_monthly_to_annual_starts_a_new_year_now(globex_billing) -> None:
    quote = globex_billing.quote(interval="year")
    assert quote["lines"][-1]["amount"] == 3 * 4500 * 12
    assert quote["lines"][0]["amount"] < 0  # the unused part of the current month
    assert quote["renews_at"] == "2027-11-27T09:00:00Z"  # the new year that starts now ends a year from now


def test_fewer_seats_wait_for_the_period_end_and_cost_nothing_now(billing, admin: httpx.Client) -> None:
    quote = billing.quote(seats=8)
    assert quote["total_due_now"] == 0
    assert quote["lines"] == []
    assert quote["scheduled_for"] == "2027-08-17T00:00:00Z"
    assert quote["scheduled_change"]["seats"] == 8
    assert quote["renews_at"] == quote["scheduled_for"]  # the first renewal is the one at the fewer seats


def test_a_downgrade_is_scheduled(billing) -> None:
    quote = billing.quote(plan="starter")
    assert quote["total_due_now"] == 0
    assert quote["scheduled_change"] == {"plan": "starter", "interval": "year", "seats": 10,
                                         "effective_at": "2027-08-17T00:00:00Z"}


def test_addon_packs_are_charged_in_full(billing) -> None:
    quote = billing.quote(addons=[{"type": "phone", "quantity": 250}, {"type": "export", "quantity": 1000}])
    assert [(line["quantity"], line["unit_amount"], line["amount"]) for line in quote["lines"]] == [
        (250, 40, 10000), (1000, 2, 2000)]
    assert quote["total_due_now"] == 12000 + 2400


def test_a_quote_lives_fifteen_minutes(billing) -> None:
    quote = billing.quote(seats=11)
    assert quote["expires_at"] == "2026-11-27T09:15:00Z"


def test_seats_below_members_names_both_counts(admin: httpx.Client) -> None:
    response = admin.post("/v1/quotes", json={"seats": 7})
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["param"]) == ("seats_below_members", "seats")
    assert "7 members and 1 pending invitation" in error["message"]
    assert "at least 8 licenses" in error["message"]


def test_plan_seat_limit_names_the_maximum(admin: httpx.Client) -> None:
    response = admin.post("/v1/quotes", json={"plan": "starter", "seats": 51})
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (400, "plan_seat_limit", "seats")
    assert "at most 50 licenses" in error["message"]


@pytest.mark.parametrize("quantity", [10, 30, 5025])
def test_addon_quantities_follow_the_slider_steps(admin: httpx.Client, quantity: int) -> None:
    response = admin.post("/v1/quotes", json={"addons": [{"type": "direct_email", "quantity": 25},
                                                         {"type": "phone", "quantity": quantity}]})
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (400, "parameter_invalid", "addons[1].quantity")
    assert "steps of 25, from 25 to 5,000" in error["message"]


def test_every_problem_is_reported_at_once(admin: httpx.Client) -> None:
    response = admin.post("/v1/quotes", json={"plan": "free", "seats": 2,
                                              "addons": [{"type": "export", "quantity": 150}]})
    params = [(e["param"], e["code"]) for e in response.json()["error"]["errors"]]
    assert params == [("addons[0].quantity", "parameter_invalid"), ("seats", "plan_seat_limit"),
                      ("seats", "seats_below_members")]


@pytest.mark.parametrize("body", [{}, {"plan": "business"}, {"plan": "business", "interval": "year", "seats": 10}])
def test_a_quote_that_changes_nothing_says_so(admin: httpx.Client, body: dict) -> None:
    response = admin.post("/v1/quotes", json=body)
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (400, "parameter_missing")
    assert "changes nothing" in error["message"]


def test_a_quote_changes_nothing(billing) -> None:
    before = billing.subscription(), billing.credits(), billing.invoices()
    billing.quote(plan="organization", addons=[{"type": "phone", "quantity": 100}])
    assert (billing.subscription(), billing.credits(), billing.invoices()) == before


ADDRESS = {"line1": "1 Main Street", "city": "Town"}


@pytest.mark.parametrize(
    ("country", "postal_code", "vat_number", "rate", "reverse_charge"),
    [
        ("FR", "75002", None, 20.0, False),
        ("DE", "10117", None, 19.0, False),
        ("DE", "10117", "DE136695976", 0.0, True),
        ("US", "94105", None, 0.0, False),
    ],
    ids=["france", "eu-without-vat-number", "eu-reverse-charge", "outside-eu"],
)
def test_tax_follows_the_billing_address(admin: httpx.Client, billing, country, postal_code, vat_number, rate,
                                         reverse_charge) -> None:
    details = {"company": "Acme Corp", "contact_name": "Alice Martin", "email": "billing@acme.example",
               "address": {**ADDRESS, "postal_code": postal_code, "country": country}, "vat_number": vat_number}
    assert admin.put("/v1/billing_details", json=details).status_code == 200
    quote = billing.quote(addons=[{"type": "phone", "quantity": 1000}])  # €400.00
    assert quote["tax"]["rate_percent"] == rate
    assert quote["tax"]["reverse_charge"] is reverse_charge
    assert quote["tax"]["amount"] == half_up(40000 * Fraction(str(rate)) / 100)
    assert quote["total_due_now"] == 40000 + quote["tax"]["amount"]


def test_a_quote_stored_before_renews_at_existed_renews_when_its_period_ends(
    billing, server_settings: ServerSettings
) -> None:
    checkout = billing.buy(seats=11)
    with sqlite3.connect(server_settings.db_path) as db:
        db.execute("UPDATE quotes SET body = json_remove(body, '$.renews_at')")
    polled = billing.client.get(f"/v1/checkouts/{checkout['id']}")
    assert polled.status_code == 200, polled.text
    assert polled.json()["quote"]["renews_at"] == "2027-08-17T00:00:00Z"  # Acme's period end
