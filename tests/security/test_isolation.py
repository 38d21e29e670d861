"""Workspace isolation, Globex's admin against Acme's objects: by id, every one of them is missing
(404, never 403, which would confirm it exists), nothing of Acme's changes, and no list Globex
reads holds an Acme id. (Globex deleting Acme's members, cards and invitations, and Acme reading
Globex's invoices, are in tests/server/test_roles.py.)"""

from __future__ import annotations

import httpx
import pytest


@pytest.fixture
def acme_ids(admin: httpx.Client) -> dict[str, str]:
    """One of each kind of Acme object, found through Acme's own API: a checkout is made for it."""
    card = next(card["id"] for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
    quote = admin.post("/v1/quotes", json={"addons": [{"type": "phone", "quantity": 25}]}).json()["id"]
    checkout = admin.post("/v1/checkouts", json={"quote_id": quote, "payment_method_id": card},
                          headers={"Idempotency-Key": "acme-own-checkout"}).json()
    unpaid_quote = admin.post("/v1/quotes", json={"seats": 11}).json()["id"]
    members = admin.get("/v1/members", params={"limit": 100}).json()["data"]
    return {
        "card": card,
        "quote": unpaid_quote,
        "checkout": checkout["id"],
        "invoice": checkout["invoice_id"],
        "member": next(
            member["id"] for member in members if member["status"] == "active" and member["role"] == "member"
        ),
        "invitation": next(member["id"] for member in members if member["status"] == "invited"),
    }


def acme_state(admin: httpx.Client) -> tuple[object, ...]:
    return (
        admin.get("/v1/subscription").json(),
        admin.get("/v1/payment_methods").json(),
        admin.get("/v1/invoices", params={"limit": 100}).json(),
        admin.get("/v1/members", params={"limit": 100}).json(),
    )


BY_ID = [
    ("GET", "/v1/invoices/{invoice}", None),
    ("GET", "/v1/invoices/{invoice}/pdf", None),
    ("GET", "/v1/checkouts/{checkout}", None),
    ("POST", "/v1/checkouts/{checkout}/authenticate", {"result": "approve"}),
    ("POST", "/v1/payment_methods/{card}/default", None),
]


@pytest.mark.parametrize(("method", "path", "body"), BY_ID, ids=[f"{m} {p}" for m, p, _ in BY_ID])
def test_globex_cannot_reach_an_acme_object_by_its_id(
    admin: httpx.Client, globex: httpx.Client, acme_ids: dict[str, str], method: str, path: str, body: object
) -> None:
    before = acme_state(admin)
    response = globex.request(method, path.format(**acme_ids), json=body, headers={"Idempotency-Key": path})
    assert (response.status_code, response.json()["error"]["code"]) == (404, "resource_missing")
    assert acme_ids["checkout"] not in response.text and "Acme" not in response.text
    assert acme_state(admin) == before


def test_globex_cannot_pay_with_acmes_card_or_buy_acmes_quote(
    admin: httpx.Client, globex: httpx.Client, acme_ids: dict[str, str]
) -> None:
    before = acme_state(admin)
    globex_card = next(card["id"] for card in globex.get("/v1/payment_methods").json()["data"] if card["is_default"])
    globex_quote = globex.post("/v1/quotes", json={"seats": 4}).json()["id"]
    with_acmes_card = globex.post(
        "/v1/checkouts",
        json={"quote_id": globex_quote, "payment_method_id": acme_ids["card"]},
        headers={"Idempotency-Key": "globex-with-acme-card"},
    )
    acmes_quote = globex.post("/v1/checkouts", json={"quote_id": acme_ids["quote"], "payment_method_id": globex_card},
                              headers={"Idempotency-Key": "globex-buys-acme-quote"})
    assert (with_acmes_card.status_code, with_acmes_card.json()["error"]["param"]) == (404, "payment_method_id")
    assert (acmes_quote.status_code, acmes_quote.json()["error"]["param"]) == (404, "quote_id")
    assert acme_state(admin) == before
    assert globex.get("/v1/subscription").json()["seats"] == 3


def test_no_list_globex_reads_holds_an_acme_object(globex: httpx.Client, acme_ids: dict[str, str]) -> None:
    lists = [
        globex.get(path, params={"limit": 100}).text
        for path in ("/v1/invoices", "/v1/members", "/v1/events", "/v1/payment_methods")
    ]
    assert all(globex.get(path).status_code == 200 for path in ("/v1/invoices", "/v1/events"))
    for listed in lists:
        assert not [name for name, object_id in acme_ids.items() if f'"{object_id}"' in listed]
        assert "acme.example" not in listed and "ACME-" not in listed
