"""Who may buy, checked before any price is asked for: an admin, with a card and billing details."""

from __future__ import annotations

import httpx
import pytest

from kaspr_tui.api import BillingClient
from kaspr_tui.commands.checkout import load_buyer
from kaspr_tui.commands.runtime import CommandError, Exit

NOW = "2026-11-27T09:00:00Z"
ME = {"user": {"id": "usr_1", "email": "alice@acme.example", "name": "Alice"}, "role": "admin",
      "workspace": {"id": "ws_1", "name": "Acme Corp"}}
SUBSCRIPTION = {"plan": "business", "interval": "year", "seats": 10, "members": 7, "pending_invitations": 1,
                "seats_available": 2, "status": "active", "current_period_start": NOW, "current_period_end": NOW,
                "addons": [], "scheduled_change": None, "payment_method": None}
CARD = {"id": "pm_1", "brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030, "is_default": True}
DETAILS = {"company": "Acme Corp", "contact_name": "Alice", "email": "billing@acme.example",
           "address": {"line1": "1 rue", "city": "Paris", "postal_code": "75002", "country": "FR"}}
MISSING = {"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "none yet"}}


def client_answering(cards: list[dict], details: dict | None) -> BillingClient:
    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/v1/me":
            return httpx.Response(200, json=ME)
        if path == "/v1/subscription":
            return httpx.Response(200, json=SUBSCRIPTION)
        if path == "/v1/payment_methods":
            return httpx.Response(200, json={"data": cards})
        return httpx.Response(200, json=details) if details else httpx.Response(404, json=MISSING)

    return BillingClient("http://billing.test", "kt_x", transport=httpx.MockTransport(answer))


async def test_without_billing_details_the_buyer_is_told_where_to_add_them():
    async with client_answering([CARD], None) as client:
        with pytest.raises(CommandError) as refused:
            await load_buyer(client, "buy phone credits")
    assert refused.value.exit_code == Exit.ERROR
    assert "No billing details on file" in str(refused.value)
    assert str(refused.value).endswith("then buy phone credits.")


async def test_without_a_default_card_the_buyer_is_told_to_add_one():
    async with client_answering([{**CARD, "is_default": False}], DETAILS) as client:
        with pytest.raises(CommandError, match="kaspr-tui card update"):
            await load_buyer(client, "change licenses")
