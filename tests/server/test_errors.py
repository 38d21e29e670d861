"""Every non-2xx answer has the one error shape, names each bad field, and never repeats input."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from kaspr_tui.server.testing import LiveServer

CARD_NUMBER = "4242424242424242"


def assert_error_shape(response: httpx.Response) -> dict:
    error = response.json()["error"]
    assert set(error) == {"type", "code", "message", "param", "errors", "request_id"}
    assert error["request_id"] == response.headers["Request-Id"]
    assert error["message"]
    return error


def test_every_field_error_at_once_with_dotted_paths(admin: httpx.Client) -> None:
    response = admin.put("/v1/billing_details", json={
        "company": "Acme", "email": "a@b.example", "address": {"line1": "x", "city": "y", "country": "FR"},
        "extra": 1,
    })
    error = assert_error_shape(response)
    assert response.status_code == 400
    assert error["type"] == "invalid_request_error"
    assert {(e["param"], e["code"]) for e in error["errors"]} == {
        ("contact_name", "parameter_missing"),
        ("address.postal_code", "parameter_missing"),
        ("extra", "parameter_invalid"),
    }


def test_list_items_are_named_by_index(admin: httpx.Client) -> None:
    response = admin.post("/v1/quotes", json={"addons": [{"type": "phone", "quantity": 25},
                                                         {"type": "phone", "quantity": 0}]})
    error = assert_error_shape(response)
    assert (error["param"], error["code"]) == ("addons[1].quantity", "parameter_invalid")
    assert "at least 1" in error["message"]


def test_a_card_number_in_the_wrong_place_is_not_echoed(admin: httpx.Client) -> None:
    response = admin.post("/v1/payment_methods", json={
        "number": CARD_NUMBER, "exp_month": CARD_NUMBER, "exp_year": 2030, "cvc": "123", "name": "x",
    })
    assert response.status_code == 400
    assert CARD_NUMBER not in response.text
    assert CARD_NUMBER[-8:] not in response.text


def test_an_invalid_card_is_not_echoed(admin: httpx.Client) -> None:
    response = admin.post("/v1/payment_methods", json={
        "number": "4242424242424241", "exp_month": 12, "exp_year": 2030, "cvc": "987", "name": "x",
    })
    error = assert_error_shape(response)
    assert (error["param"], error["code"]) == ("number", "card_number_invalid")
    assert "4242424242424241" not in response.text
    assert not re.search(r"(?<!\w)987(?!\w)", response.text)  # a word: the request id's hex may hold "987"


def test_malformed_json_is_a_400_in_the_same_shape(admin: httpx.Client) -> None:
    response = admin.post("/v1/quotes", content=b'{"seats": ', headers={"Content-Type": "application/json"})
    error = assert_error_shape(response)
    assert (response.status_code, error["code"]) == (400, "parameter_invalid")
    assert "JSON" in error["message"]


def test_a_body_that_is_not_json_says_to_send_json(admin: httpx.Client) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response = admin.post("/v1/quotes", content=b"seats=12", headers=form)
    error = assert_error_shape(response)
    assert response.status_code == 400
    assert "application/json" in error["message"]


def test_unknown_route_and_method(admin: httpx.Client) -> None:
    unknown = admin.get("/v1/nothing_here")
    assert (unknown.status_code, assert_error_shape(unknown)["code"]) == (404, "resource_missing")
    wrong_method = admin.delete("/v1/catalog")
    assert wrong_method.status_code == 405
    assert assert_error_shape(wrong_method)["type"] == "invalid_request_error"
    assert "GET" in wrong_method.headers["Allow"]


def test_a_bad_query_parameter_is_named(admin: httpx.Client) -> None:
    response = admin.get("/v1/invoices", params={"limit": 101})
    error = assert_error_shape(response)
    assert (error["param"], error["code"]) == ("limit", "parameter_invalid")
    assert "at most 100" in error["message"]


def test_an_unhandled_error_is_a_generic_500_logged_without_the_body(
    live_server: LiveServer, admin: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(body: dict) -> None:
        raise RuntimeError("boom")

    live_server.app.add_api_route("/v1/broken", broken, methods=["POST"])
    with caplog.at_level(logging.ERROR, logger="kaspr_tui.server"):
        response = admin.post("/v1/broken", json={"number": CARD_NUMBER})
    error = assert_error_shape(response)
    assert (response.status_code, error["type"], error["code"]) == (500, "api_error", "internal_error")
    assert "boom" not in response.text and "Traceback" not in response.text
    assert "POST /v1/broken" in caplog.text
    assert CARD_NUMBER not in caplog.text


@pytest.mark.parametrize(("headers", "code"), [({}, "api_key_missing"),
                                                ({"Authorization": "Bearer kt_wrong"}, "api_key_invalid"),
                                                ({"Authorization": "Basic a3Q6"}, "api_key_missing")])
def test_authentication_errors(api, headers: dict, code: str) -> None:
    response = api(None, **headers).get("/v1/me")
    error = assert_error_shape(response)
    assert (response.status_code, error["type"], error["code"]) == (401, "authentication_error", code)


def test_a_body_over_64_kib_is_refused_before_it_is_read(admin: httpx.Client) -> None:
    # What stalled the whole server for 10 s: 9 MB, 500,000 keys, from a key that may only consume credits.
    body = "{" + ",".join(f'"k{n}": 0' for n in range(500_000)) + "}"
    response = admin.post("/v1/credits/consume", content=body, headers={"Content-Type": "application/json"})
    error = assert_error_shape(response)
    assert (response.status_code, error["type"], error["code"]) == (413, "invalid_request_error", "request_too_large")
    assert "64 KiB" in error["message"]
    assert len(response.content) < 1000
    assert admin.get("/healthz").status_code == 200


def test_a_streamed_body_without_a_length_is_cut_at_64_kib(admin: httpx.Client) -> None:
    def chunks():
        for _ in range(100):
            yield b" " * 4096  # 400 KiB of JSON whitespace, sent chunked: no Content-Length to refuse on

    response = admin.post("/v1/quotes", content=chunks(), headers={"Content-Type": "application/json"})
    assert (response.status_code, assert_error_shape(response)["code"]) == (413, "request_too_large")


def test_the_field_errors_listed_are_capped(admin: httpx.Client) -> None:
    body = "{" + ",".join(f'"k{n}": 0' for n in range(5_000)) + ', "type": "phone", "quantity": 1}'
    assert len(body) < 64 * 1024
    response = admin.post("/v1/credits/consume", content=body, headers={"Content-Type": "application/json"})
    error = assert_error_shape(response)
    assert response.status_code == 400
    assert len(error["errors"]) == 50
    assert "5,000 fields need fixing" in error["message"]
    assert len(response.content) < 20_000


def test_json_nested_deeper_than_the_stack_is_a_400(admin: httpx.Client) -> None:
    response = admin.post("/v1/quotes", content=b"[" * 30_000, headers={"Content-Type": "application/json",
                                                                          "Idempotency-Key": "deep"})
    error = assert_error_shape(response)
    assert (response.status_code, error["code"]) == (400, "parameter_invalid")


def test_an_unknown_query_parameter_is_refused_not_ignored(admin: httpx.Client) -> None:
    response = admin.get("/v1/invoices", params={"limit": 5, "stauts": "paid"})
    error = assert_error_shape(response)
    assert (response.status_code, error["param"], error["code"]) == (400, "stauts", "parameter_unknown")
    nameless = admin.get("/v1/checkouts?limit=1&=")
    assert (nameless.status_code, assert_error_shape(nameless)["code"]) == (400, "parameter_unknown")
