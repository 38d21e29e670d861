"""Helpers for driving the billing server through HTTP the way the TUI does."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer

VISA = "4242424242424242"

FR_DETAILS = {
    "company": "Acme Corp", "contact_name": "Alice Martin", "email": "billing@acme.example",
    "address": {"line1": "12 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"},
    "vat_number": "FR40303265045",
}


class Billing:
    """An admin's billing actions, each asserting the call worked unless told otherwise."""

    _keys = itertools.count(1)

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def key(self) -> dict[str, str]:
        return {"Idempotency-Key": f"test-{next(self._keys)}"}

    def card(self, number: str = VISA, *, make_default: bool = False) -> str:
        cvc = "1234" if number[:2] in ("34", "37") else "123"  # Amex has 4 digits
        response = self.client.post("/v1/payment_methods", json={
            "number": number, "exp_month": 12, "exp_year": 2030, "cvc": cvc, "name": "Alice Martin",
            "make_default": make_default,
        })
        assert response.status_code == 200, response.text
        return response.json()["id"]

    def quote(self, **body: Any) -> dict[str, Any]:
        response = self.client.post("/v1/quotes", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def checkout(self, quote_id: str, card_id: str) -> httpx.Response:
        return self.client.post("/v1/checkouts", json={"quote_id": quote_id, "payment_method_id": card_id},
                                headers=self.key())

    def buy(self, number: str = VISA, **body: Any) -> dict[str, Any]:
        """Quote `body` and pay it with a new card `number`; the checkout as answered."""
        card = self.card(number)
        response = self.checkout(self.quote(**body)["id"], card)
        assert response.status_code == 202, response.text
        return response.json()

    def subscription(self) -> dict[str, Any]:
        return self.client.get("/v1/subscription").json()

    def credits(self) -> dict[str, dict[str, Any]]:
        return {balance["type"]: balance for balance in self.client.get("/v1/credits").json()["data"]}

    def invoices(self) -> list[dict[str, Any]]:
        return self.client.get("/v1/invoices", params={"limit": 100}).json()["data"]

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        return self.client.get("/v1/events", params={"limit": limit}).json()["data"]

    def advance(self, days: int) -> str:
        response = self.client.post("/v1/test_helpers/advance_clock", json={"days": days})
        assert response.status_code == 200, response.text
        return response.json()["now"]


@pytest.fixture
def billing(admin: httpx.Client) -> Billing:
    return Billing(admin)


@pytest.fixture
def globex_billing(globex: httpx.Client) -> Billing:
    return Billing(globex)


@pytest.fixture
def slow_billing(server_settings: ServerSettings) -> Iterator[Billing]:
    """Acme's admin on a server whose payments stay `processing` far longer than any test runs."""
    server_settings.payment_delay = 3600
    with LiveServer(server_settings) as server, httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as client:
        yield Billing(client)
