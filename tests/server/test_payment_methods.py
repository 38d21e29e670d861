"""Cards: a mock tokenizer that keeps brand, last 4, expiry and a fingerprint, never the number."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import LiveServer

MASTERCARD = "5555555555554444"


def test_a_new_card_keeps_only_what_is_printed_outside(billing) -> None:
    card_id = billing.card(MASTERCARD)
    cards = billing.client.get("/v1/payment_methods").json()["data"]
    new = next(card for card in cards if card["id"] == card_id)
    assert new == {"id": card_id, "brand": "mastercard", "last4": "4444", "exp_month": 12, "exp_year": 2030,
                   "name": "Alice Martin", "is_default": False}


def test_make_default_moves_the_default(billing) -> None:
    card_id = billing.card(MASTERCARD, make_default=True)
    assert billing.subscription()["payment_method"] == {"brand": "mastercard", "last4": "4444"}
    defaults = [card["id"] for card in billing.client.get("/v1/payment_methods").json()["data"] if card["is_default"]]
    assert defaults == [card_id]
    again = billing.client.post("/v1/payment_methods/pm_000001/default")
    assert again.json()["is_default"] is True
    assert billing.subscription()["payment_method"]["last4"] == "4242"


def test_the_last_card_of_a_paid_plan_stays(billing) -> None:
    response = billing.client.delete("/v1/payment_methods/pm_000001")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "last_payment_method")


def test_the_default_card_of_a_paid_plan_stays_until_another_is_the_default(billing) -> None:
    other = billing.card(MASTERCARD)
    refused = billing.client.delete("/v1/payment_methods/pm_000001")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "default_payment_method")
    assert "make another card the default" in refused.json()["error"]["message"]
    billing.client.post(f"/v1/payment_methods/{other}/default").raise_for_status()
    assert billing.client.delete("/v1/payment_methods/pm_000001").status_code == 204
    cards = billing.client.get("/v1/payment_methods").json()["data"]
    assert [(card["id"], card["is_default"]) for card in cards] == [(other, True)]


def test_the_same_card_saved_twice_is_one_card(billing) -> None:
    first = billing.card(MASTERCARD)
    again = billing.card(MASTERCARD, make_default=True)
    assert again == first
    cards = billing.client.get("/v1/payment_methods").json()["data"]
    assert sum(card["last4"] == "4444" for card in cards) == 1


@pytest.mark.parametrize(
    ("changes", "param", "code"),
    [({"number": "4242 4242 4242 4241"}, "number", "card_number_invalid"),
     ({"exp_year": 2025}, "exp_year", "invalid_expiry_year"),
     ({"cvc": "12"}, "cvc", "cvc_invalid"),
     ({"number": "378282246310005", "cvc": "123"}, "cvc", "cvc_invalid")],
    ids=["luhn", "expired", "short-cvc", "amex-needs-4"],
)
def test_card_checks(admin: httpx.Client, changes: dict, param: str, code: str) -> None:
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "A", **changes}
    response = admin.post("/v1/payment_methods", json=card)
    error = response.json()["error"]
    assert (response.status_code, error["param"], error["code"]) == (400, param, code)


def test_no_card_number_or_cvc_anywhere_on_disk_or_in_logs(
    server_settings: ServerSettings, caplog: pytest.LogCaptureFixture
) -> None:
    number, cvc = "4000056655665556", "7319"
    with caplog.at_level(logging.DEBUG), LiveServer(server_settings) as server:
        with httpx.Client(base_url=server.url, headers={"Authorization": "Bearer kt_demo_admin"}) as admin:
            response = admin.post("/v1/payment_methods", json={
                "number": number, "exp_month": 1, "exp_year": 2031, "cvc": cvc[:3], "name": "Vera"})
            assert response.status_code == 200
            # A rejected card too: its number must not land in a log or the idempotency store.
            admin.post("/v1/payment_methods", headers={"Idempotency-Key": "bad-card"},
                       json={"number": number, "exp_month": 13, "exp_year": 2031, "cvc": cvc, "name": "Vera"})
    stored = b"".join(path.read_bytes() for path in Path(server_settings.db_path).parent.glob("billing.db*"))
    # A bare CVC could match any hex digest by chance; quoted, as JSON or a repr would hold it, it cannot.
    for secret in (number, number[:12], f'"{cvc}"', f'"{cvc[:3]}"', f"'{cvc}'", f"'{cvc[:3]}'"):
        assert secret.encode() not in stored
        assert secret not in caplog.text
