"""The demo server answers who you are, the catalog and the seeded subscriptions."""

from __future__ import annotations

import httpx

from kaspr_tui.server.testing import FROZEN_NOW


def test_healthz_needs_no_key(api) -> None:
    response = api(None).get("/healthz")
    assert response.json() == {"ok": True}
    assert response.headers["Request-Id"].startswith("req_")


def test_me_names_the_user_role_and_workspace(admin: httpx.Client, support: httpx.Client) -> None:
    me = admin.get("/v1/me").json()
    assert me["user"]["email"] == "alice@acme.example"
    assert me["role"] == "admin"
    assert me["workspace"]["name"] == "Acme Corp"
    assert support.get("/v1/me").json()["workspace"] is None


def test_catalog_lists_the_plans_and_packs_of_the_contract(member: httpx.Client) -> None:
    catalog = member.get("/v1/catalog").json()
    business = next(plan for plan in catalog["plans"] if plan["id"] == "business")
    assert (business["monthly_unit_amount"], business["annual_unit_amount"], business["max_seats"]) == (9900, 7900, 200)
    phone = next(pack for pack in catalog["addon_packs"] if pack["type"] == "phone")
    assert (phone["unit_amount"], phone["min"], phone["max"], phone["step"]) == (40, 25, 5000, 25)


def test_acme_is_on_business_annual_with_ten_seats(admin: httpx.Client) -> None:
    subscription = admin.get("/v1/subscription").json()
    assert (subscription["plan"], subscription["interval"], subscription["seats"]) == ("business", "year", 10)
    assert (subscription["members"], subscription["pending_invitations"], subscription["seats_available"]) == (7, 1, 2)
    assert subscription["payment_method"] == {"brand": "visa", "last4": "4242"}
    assert subscription["current_period_start"] < FROZEN_NOW.isoformat() < subscription["current_period_end"]


def test_globex_is_on_starter_monthly_with_three_seats(globex: httpx.Client) -> None:
    subscription = globex.get("/v1/subscription").json()
    assert (subscription["plan"], subscription["interval"], subscription["seats"]) == ("starter", "month", 3)
