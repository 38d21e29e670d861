"""The client's request log (method, path, status, duration, Request-Id) and its read-only guard."""

from __future__ import annotations

import logging

import httpx
import pytest
from pydantic import SecretStr

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.client import is_write_request
from kaspr_tui.api.models import PaymentMethodCreate, QuoteRequest

CARD_NUMBER = "4242424242424242"
API_KEY = "kt_secret_admin_key"


def answer(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/v1/payment_methods":
        body = {"id": "pm_1", "brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030, "is_default": True}
        return httpx.Response(200, json=body, headers={"Request-Id": "req_card"})
    error = {"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such thing."}}
    return httpx.Response(404, json=error, headers={"Request-Id": "req_missing"})


async def test_each_request_is_one_line_with_method_path_status_duration_and_request_id(caplog):
    caplog.set_level(logging.INFO, logger="kaspr_tui.api.client")
    async with BillingClient("http://billing.test", API_KEY, transport=httpx.MockTransport(answer)) as client:
        card = PaymentMethodCreate(
            number=SecretStr(CARD_NUMBER), exp_month=12, exp_year=2030, cvc=SecretStr("123"), name="Ada"
        )
        await client.add_payment_method(card)
        with pytest.raises(ApiError):
            await client.support_account("ada@acme.test")
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    method, path, status, milliseconds, unit, request_id = lines[0].split(" ")
    assert (method, path, status, unit, request_id) == ("POST", "/v1/payment_methods", "200", "ms", "req_card")
    assert int(milliseconds) >= 0
    # The query (an email address here) is not logged; neither is the key or the card (nor any body).
    assert lines[1].startswith("GET /v1/support/accounts 404 ")
    assert lines[1].endswith(" req_missing")
    text = "\n".join(lines)
    for secret in (CARD_NUMBER, API_KEY, "ada@acme.test"):
        assert secret not in text


async def test_a_request_that_got_no_answer_is_logged_with_why(caplog):
    caplog.set_level(logging.INFO, logger="kaspr_tui.api.client")

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    async def no_wait(seconds: float) -> None:
        return None

    transport = httpx.MockTransport(refuse)
    async with BillingClient("http://billing.test", API_KEY, transport=transport, sleep=no_wait) as client:
        with pytest.raises(ApiError):
            await client.subscription()
    lines = [record.getMessage() for record in caplog.records if record.levelno == logging.INFO]
    assert len(lines) == 4  # the first try and three retries
    assert all(line.startswith("GET /v1/subscription unreachable ") and line.endswith(" -") for line in lines)


@pytest.mark.parametrize(
    ("method", "path", "writes"),
    [
        ("GET", "/v1/subscription", False),
        ("POST", "/v1/quotes", False),
        ("POST", "/v1/checkouts", True),
        ("PUT", "/v1/billing_details", True),
        ("PATCH", "/v1/subscription/addons/phone", True),
        ("DELETE", "/v1/members/usr_1", True),
        ("post", "/v1/invitations", True),
    ],
)
def test_is_write_request_tells_every_change_from_reading_and_pricing(method, path, writes):
    assert is_write_request(method, path) is writes


async def test_a_read_only_client_refuses_writes_before_sending_them_and_still_prices():
    sent: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        return httpx.Response(404, json={"error": {"type": "x", "code": "resource_missing", "message": "no"}})

    transport = httpx.MockTransport(record)
    async with BillingClient("http://billing.test", API_KEY, transport=transport, read_only=True) as client:
        with pytest.raises(ApiError) as refused:
            await client.create_checkout("quo_1", "pm_1", idempotency_key="kt_1")
        assert refused.value.code == "read_only"
        assert str(refused.value).startswith("Read-only: changes are turned off here")
        with pytest.raises(ApiError):
            await client.create_quote(QuoteRequest(seats=12))
    assert sent == ["POST /v1/quotes"]
