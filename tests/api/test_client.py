"""BillingClient against scripted HTTP answers (httpx.MockTransport).

Waits between retries go to a recording fake `sleep`: nothing really sleeps.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import traceback
from collections.abc import Callable

import httpx
import pytest

from kaspr_tui.api import ApiError, BillingClient, new_idempotency_key
from kaspr_tui.api.models import (
    AddressInput,
    BillingDetailsUpdate,
    PaymentMethodCreate,
    QuoteRequest,
)

BASE_URL = "http://billing.test"
API_KEY = "kt_test_admin"
NOW = "2026-03-01T12:00:00Z"

ME = {
    "user": {"id": "usr_ada", "email": "ada@acme.test", "name": "Ada Lovelace"},
    "role": "admin",
    "workspace": {"id": "ws_acme", "name": "Acme Corp"},
}
QUOTE = {
    "id": "quo_1",
    "plan": "business",
    "interval": "year",
    "seats": 12,
    "lines": [{"description": "2 seats", "quantity": 2, "unit_amount": 7900, "amount": 15800}],
    "subtotal": 15800,
    "tax": {"rate_percent": 20.0, "amount": 3160, "reverse_charge": False},
    "total_due_now": 18960,
    "next_renewal_total": 113760,
    "renews_at": NOW,
    "effective_at": NOW,
    "scheduled_for": None,
    "expires_at": NOW,
    "created": NOW,
}
CREDITS = {
    "data": [
        {
            "type": "phone",
            "included": 2000,
            "addon": 0,
            "used": 5,
            "remaining": 1995,
            "resets_at": NOW,
        }
    ]
}

# Module constants, not locals: a traceback showing locals must not find them in a test's frame.
CARD_NUMBER = "4000000000000002"
CARD_CVC = "919"

Outcome = httpx.Response | Exception


class Server:
    """A scripted server: answers each request with the next outcome; the last one repeats."""

    def __init__(self, *outcomes: Outcome) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def keys(self) -> list[str | None]:
        return [request.headers.get("Idempotency-Key") for request in self.requests]


def ok(body: object, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def error(
    status: int,
    type: str,
    code: str,
    message: str = "Try again.",
    *,
    param: str | None = None,
    errors: tuple[tuple[str, str, str], ...] = (),
    request_id: str | None = "req_123",
    **headers: str,
) -> httpx.Response:
    """An answer in the API's error shape; `errors` are (param, code, message) triples."""
    body = {
        "type": type,
        "code": code,
        "message": message,
        "param": param,
        "errors": [{"param": p, "code": c, "message": m} for p, c, m in errors],
        "request_id": request_id,
    }
    return httpx.Response(status, json={"error": body}, headers=headers)


def checkout(status: str) -> dict[str, object]:
    return {"id": "chk_1", "status": status, "quote": QUOTE, "invoice_id": None, "created": NOW}


def invoice_summary(id: str) -> dict[str, object]:
    return {
        "id": id,
        "number": None,
        "status": "paid",
        "created": NOW,
        "total": 118800,
        "period_start": NOW,
        "period_end": NOW,
    }


def a_card() -> PaymentMethodCreate:
    return PaymentMethodCreate(
        number=CARD_NUMBER, exp_month=12, exp_year=2030, cvc=CARD_CVC, name="Ada Lovelace"
    )


def billing_update() -> BillingDetailsUpdate:
    return BillingDetailsUpdate(
        company="Acme Corp",
        contact_name="Ada Lovelace",
        email="billing@acme.test",
        address=AddressInput(
            line1="1 rue de Rivoli", city="Paris", postal_code="75001", country="FR"
        ),
    )


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
async def make_client(sleeps: list[float]):
    clients: list[BillingClient] = []

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def make(server: Server, **options) -> BillingClient:
        options = {"sleep": record_sleep, **options}
        client = BillingClient(BASE_URL, API_KEY, transport=httpx.MockTransport(server), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


# ---- what every request carries ---------------------------------------------------------------


async def test_requests_carry_the_bearer_key_and_a_user_agent(make_client):
    server = Server(ok(ME))
    me = await make_client(server).me()

    assert me.workspace is not None and me.workspace.name == "Acme Corp"
    request = server.requests[0]
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert re.fullmatch(r"kaspr-tui/\d+\.\d+\.\d+.*", request.headers["User-Agent"])
    assert "Idempotency-Key" not in request.headers  # a read needs none


async def test_a_client_without_a_key_sends_no_authorization(sleeps):
    server = Server(ok({"ok": True}))
    async with BillingClient(BASE_URL, None, transport=httpx.MockTransport(server)) as client:
        assert await client.health() is True
    assert "Authorization" not in server.requests[0].headers


async def test_support_reads_name_the_workspace_only_when_asked(make_client):
    server = Server(ok(CREDITS))
    client = make_client(server)

    await client.credits(workspace="ws_globex")
    await client.credits()

    assert server.requests[0].headers["Kaspr-Workspace"] == "ws_globex"
    assert "Kaspr-Workspace" not in server.requests[1].headers


async def test_an_id_cannot_reach_another_endpoint(make_client):
    server = Server(httpx.Response(200, content=b"%PDF-1.7"))
    await make_client(server).invoice_pdf("in_1/../../members")

    assert server.requests[0].url.raw_path == b"/v1/invoices/in_1%2F..%2F..%2Fmembers/pdf"


async def test_invoice_pdf_returns_the_bytes_as_sent(make_client):
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    server = Server(httpx.Response(200, content=pdf, headers={"Content-Type": "application/pdf"}))

    assert await make_client(server).invoice_pdf("in_1") == pdf
    assert server.requests[0].headers["Accept"] == "application/pdf"


# ---- idempotency keys -----------------------------------------------------------------------


async def test_every_retry_of_one_call_reuses_its_key_and_the_next_call_gets_a_new_one(make_client):
    busy = error(503, "api_error", "unavailable", **{"Retry-After": "0"})
    server = Server(busy, busy, ok(QUOTE), ok(QUOTE))
    client = make_client(server)

    await client.create_quote(QuoteRequest(seats=12))
    await client.create_quote(QuoteRequest(seats=12))

    first, retry_1, retry_2, second = server.keys()
    assert first and first == retry_1 == retry_2
    assert second and second != first


async def test_a_key_passed_by_the_caller_is_sent_on_every_attempt(make_client):
    key = new_idempotency_key()
    server = Server(httpx.ReadTimeout("read timed out"), ok(checkout("processing"), status=202))

    result = await make_client(server).create_checkout("quo_1", "pm_1", idempotency_key=key)

    assert result.status == "processing"
    assert server.keys() == [key, key]


async def test_new_idempotency_keys_are_unique_and_within_the_api_limit():
    keys = {new_idempotency_key() for _ in range(1000)}
    assert len(keys) == 1000
    assert all(1 <= len(key) <= 255 for key in keys)


@pytest.mark.parametrize(
    ("call", "method"),
    [
        (lambda client: client.update_billing_details(billing_update()), "PUT"),
        (lambda client: client.set_addon_auto_renew("phone", False), "PATCH"),
        (lambda client: client.remove_member("usr_bob"), "DELETE"),
        (lambda client: client.consume_credits("phone", 1), "POST"),
    ],
)
async def test_every_write_carries_an_idempotency_key(make_client, call: Callable, method: str):
    server = Server(httpx.Response(500, text="stop here"))
    with pytest.raises(ApiError):
        await call(make_client(server))

    assert server.requests[0].method == method
    assert server.keys()[0]


# ---- retries --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "type", "code"),
    [(503, "api_error", "unavailable"), (429, "rate_limit_error", "rate_limited")],
)
async def test_busy_answers_are_retried_after_the_servers_retry_after(
    make_client, sleeps, status, type, code
):
    server = Server(
        error(status, type, code, **{"Retry-After": "2"}),
        error(status, type, code, **{"Retry-After": "0.5"}),
        ok(ME),
    )
    me = await make_client(server).me()

    assert me.user.email == "ada@acme.test"
    assert len(server.requests) == 3
    assert sleeps == [2.0, 0.5]


async def test_a_huge_retry_after_is_capped(make_client, sleeps):
    rate_limited = error(429, "rate_limit_error", "rate_limited", **{"Retry-After": "3600"})
    server = Server(rate_limited, ok(ME))
    await make_client(server).me()

    assert sleeps == [30.0]


async def test_without_retry_after_the_wait_doubles_with_jitter(make_client, sleeps):
    server = Server(httpx.Response(502, text="<html>Bad Gateway</html>"))
    with pytest.raises(ApiError):
        await make_client(server, backoff=0.25, max_retries=3).me()

    # Each wait is the doubling backoff (0.25, 0.5, 1.0 s) minus at most half of it as jitter.
    assert len(sleeps) == 3
    for delay, backoff in zip(sleeps, [0.25, 0.5, 1.0], strict=True):
        assert backoff / 2 <= delay <= backoff


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("Connection refused"), httpx.ReadTimeout("read timed out")],
    ids=["connect-error", "read-timeout"],
)
async def test_a_call_that_gets_no_answer_is_retried(make_client, sleeps, failure):
    server = Server(failure, failure, ok(CREDITS))
    balances = await make_client(server).consume_credits("phone", 5)

    assert balances[0].remaining == 1995
    assert len(server.requests) == 3 and len(sleeps) == 2
    assert len(set(server.keys())) == 1  # the spend happens at most once


async def test_a_retry_that_finds_its_first_attempt_still_running_waits_for_it(make_client):
    server = Server(
        httpx.ReadTimeout("read timed out"),
        error(409, "invalid_request_error", "idempotency_key_in_use"),
        ok(checkout("succeeded"), status=202),
    )
    result = await make_client(server).create_checkout("quo_1", "pm_1", idempotency_key="kt_pay")

    assert result.status == "succeeded"
    assert server.keys() == ["kt_pay"] * 3


@pytest.mark.parametrize(
    ("status", "type", "code"),
    [
        (400, "invalid_request_error", "parameter_invalid"),
        (402, "card_error", "card_declined"),
        (404, "invalid_request_error", "resource_missing"),
        (409, "invalid_request_error", "checkout_in_progress"),
        # A server bug: asking again would not fix it.
        (500, "api_error", "internal_error"),
    ],
)
async def test_an_answer_that_would_not_change_is_not_retried(
    make_client, sleeps, status, type, code
):
    server = Server(error(status, type, code), ok(checkout("processing"), status=202))
    with pytest.raises(ApiError) as raised:
        await make_client(server).create_checkout("quo_1", "pm_1", idempotency_key="kt_one")

    assert (raised.value.status, raised.value.code) == (status, code)
    assert len(server.requests) == 1
    assert sleeps == []


async def test_after_max_retries_the_last_error_is_raised(make_client, sleeps):
    server = Server(
        *(error(503, "api_error", "unavailable", f"Attempt {n} failed.") for n in range(1, 4)),
        error(503, "api_error", "unavailable", "Still down: try in a few minutes."),
    )
    with pytest.raises(ApiError) as raised:
        await make_client(server, max_retries=3).me()

    assert len(server.requests) == 4 and len(sleeps) == 3
    assert str(raised.value) == "Still down: try in a few minutes."


async def test_timeouts_on_every_attempt_become_one_timeout_error(make_client):
    server = Server(httpx.ReadTimeout("read timed out"))
    with pytest.raises(ApiError) as raised:
        await make_client(server, timeout=5, max_retries=2).create_quote(QuoteRequest(seats=3))

    exc = raised.value
    assert (exc.status, exc.type, exc.code) == (0, "connection_error", "timeout")
    assert exc.is_connection_error
    assert str(exc) == (
        f"The billing server at {BASE_URL} did not answer within 5 s (tried 3 times). "
        "Check your network, then retry."
    )
    assert len(set(server.keys())) == 1


# ---- errors ---------------------------------------------------------------------------------


async def test_an_error_body_becomes_an_api_error_with_every_field_error(make_client):
    server = Server(
        error(
            400,
            "invalid_request_error",
            "postal_code_invalid",
            "Fix the 2 highlighted fields, then save again.",
            param="address.postal_code",
            errors=(
                ("address.postal_code", "postal_code_invalid", "Use 5 digits."),
                ("vat_number", "tax_id_invalid", "FR12 is not a valid VAT number."),
                ("address.postal_code", "parameter_missing", "Second problem, same field."),
            ),
            request_id="req_abc",
        )
    )
    with pytest.raises(ApiError) as raised:
        await make_client(server).update_billing_details(billing_update())

    exc = raised.value
    assert (exc.status, exc.type, exc.code) == (400, "invalid_request_error", "postal_code_invalid")
    assert str(exc) == "Fix the 2 highlighted fields, then save again."
    assert exc.param == "address.postal_code"
    assert exc.request_id == "req_abc"
    assert [e.code for e in exc.errors] == [
        "postal_code_invalid",
        "tax_id_invalid",
        "parameter_missing",
    ]
    assert exc.field_errors() == {
        "address.postal_code": "Use 5 digits.",
        "vat_number": "FR12 is not a valid VAT number.",
    }
    assert not exc.is_card_error


async def test_an_error_naming_only_param_still_points_at_that_input(make_client):
    server = Server(
        error(
            400,
            "invalid_request_error",
            "seats_below_members",
            "Keep at least 7 licenses.",
            param="seats",
            request_id=None,
            **{"Request-Id": "req_hdr"},
        )
    )
    with pytest.raises(ApiError) as raised:
        await make_client(server).create_quote(QuoteRequest(seats=2))

    assert raised.value.field_errors() == {"seats": "Keep at least 7 licenses."}
    assert raised.value.request_id == "req_hdr"  # from the header when the body has none


async def test_a_declined_card_is_a_card_error(make_client):
    server = Server(error(402, "card_error", "card_declined", "Your card was declined."))
    with pytest.raises(ApiError) as raised:
        await make_client(server).create_checkout("quo_1", "pm_1", idempotency_key="kt_1")

    assert raised.value.is_card_error
    assert str(raised.value) == "Your card was declined."


async def test_a_proxy_error_page_becomes_a_clean_error(make_client):
    page = "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
    server = Server(httpx.Response(502, text=page, headers={"Content-Type": "text/html"}))
    with pytest.raises(ApiError) as raised:
        await make_client(server, max_retries=1).subscription()

    exc = raised.value
    assert (exc.status, exc.type, exc.code) == (502, "api_error", "unavailable")
    assert str(exc) == (
        "The billing server is not available right now (HTTP 502 for GET /v1/subscription). "
        "Wait a moment, then retry."
    )


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(404, text="<html>Not Found</html>"),
        httpx.Response(404, json={"detail": "Not Found"}),  # JSON, but not the API's error shape
    ],
    ids=["html", "foreign-json"],
)
async def test_an_answer_from_something_else_than_the_api_says_so(make_client, response):
    with pytest.raises(ApiError) as raised:
        await make_client(Server(response)).me()

    exc = raised.value
    assert (exc.status, exc.code) == (404, "unexpected_response")
    assert "--api-url" in str(exc)
    assert "<html>" not in str(exc)


async def test_a_success_body_that_does_not_fit_the_model_is_an_api_error(make_client):
    server = Server(ok({"user": {"id": "usr_1"}}))
    with pytest.raises(ApiError) as raised:
        await make_client(server).me()

    assert (raised.value.status, raised.value.code) == (200, "unexpected_response")


async def test_an_unreachable_server_says_where_and_what_to_do(sleeps):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with BillingClient(base_url, API_KEY, max_retries=1, sleep=record_sleep) as client:
        with pytest.raises(ApiError) as raised:
            await client.me()
        assert await client.health() is False

    exc = raised.value
    assert (exc.status, exc.type, exc.code) == (0, "connection_error", "unreachable")
    assert re.fullmatch(
        rf"Could not reach the billing server at {re.escape(base_url)}: [a-z][^.]+\. "
        r"Check your network or --api-url, then retry\.",
        str(exc),
    )
    assert len(sleeps) == 1  # retried once, as configured


async def test_the_reason_a_connection_failed_reads_as_part_of_the_sentence(make_client):
    server = Server(httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(ApiError) as raised:
        await make_client(server, max_retries=0).me()

    assert str(raised.value) == (
        f"Could not reach the billing server at {BASE_URL}: connection refused. "
        "Check your network or --api-url, then retry."
    )


@pytest.mark.parametrize(
    "failure",
    [
        error(402, "card_error", "card_declined", "Your card was declined: use another card."),
        error(
            400,
            "invalid_request_error",
            "parameter_invalid",
            "Check the card.",
            param="number",
            errors=(("number", "parameter_invalid", "This card number is not valid."),),
        ),
        httpx.Response(500, text="<html>Internal Server Error</html>"),
        httpx.ConnectError("Connection refused"),
        httpx.ReadTimeout("read timed out"),
    ],
    ids=["card-declined", "field-error", "html-500", "connect-error", "timeout"],
)
async def test_a_failed_card_call_never_shows_the_card_number_or_cvc(make_client, caplog, failure):
    caplog.set_level(logging.DEBUG)
    server = Server(failure)
    with pytest.raises(ApiError) as raised:
        await make_client(server, max_retries=0).add_payment_method(a_card())

    exc = raised.value
    rendered = "\n".join(
        [
            str(exc),
            repr(exc),
            repr(exc.__dict__),
            # What a crash report with locals (Textual's) would print, chained exceptions too.
            "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format()),
            caplog.text,
        ]
    )
    assert CARD_NUMBER not in rendered
    assert not re.search(rf"\b{CARD_CVC}\b", rendered)
    # Checked last, so this test's own frame held no copy of the card while rendering above.
    sent = json.loads(server.requests[0].content)
    assert (sent["number"], sent["cvc"]) == (CARD_NUMBER, CARD_CVC)  # the server did get them


# ---- pagination and polling ---------------------------------------------------------------


async def test_iterating_invoices_walks_every_page_with_starting_after(make_client):
    ids = ["in_5", "in_4", "in_3", "in_2", "in_1"]  # newest first, as the API lists them
    seen: list[tuple[str | None, str | None]] = []

    def page(request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params["limit"])
        after = request.url.params.get("starting_after")
        seen.append((after, request.headers.get("Kaspr-Workspace")))
        start = ids.index(after) + 1 if after else 0
        data = [invoice_summary(id) for id in ids[start : start + limit]]
        return ok({"object": "list", "data": data, "has_more": start + limit < len(ids)})

    client = make_client(page)
    invoices = client.iter_invoices(page_size=2, workspace="ws_acme")
    walked = [invoice.id async for invoice in invoices]

    assert walked == ids
    assert seen == [(None, "ws_acme"), ("in_4", "ws_acme"), ("in_2", "ws_acme")]


async def test_iteration_stops_on_an_empty_page_even_if_it_claims_more(make_client):
    server = Server(ok({"object": "list", "data": [], "has_more": True}))
    assert [member async for member in make_client(server).iter_members()] == []
    assert len(server.requests) == 1


async def test_waiting_for_a_checkout_polls_as_the_server_asks(make_client, sleeps):
    server = Server(
        ok(checkout("processing"), **{"Retry-After": "1"}),
        ok(checkout("processing"), **{"Retry-After": "2"}),
        ok(checkout("processing")),  # no header: the default pause
        ok(checkout("succeeded")),
    )
    result = await make_client(server).wait_for_checkout("chk_1")

    assert result.status == "succeeded"
    assert sleeps == [1.0, 2.0, 1.0]
    assert {request.url.path for request in server.requests} == {"/v1/checkouts/chk_1"}


async def test_waiting_stops_when_the_bank_asks_for_3d_secure(make_client, sleeps):
    server = Server(ok(checkout("processing")), ok(checkout("requires_action")))
    result = await make_client(server).wait_for_checkout("chk_1", poll_interval=0.2)

    assert result.status == "requires_action"
    assert sleeps == [0.2]
