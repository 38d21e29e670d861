"""Field rules the server and the TUI share (billing/validation.py, billing/cards.py), seen through
the API: what a person typed is refused with a message that says what to fix."""

from __future__ import annotations

import httpx
import pytest

from kaspr_tui.billing.validation import validate_billing_details, validate_postal_code

DETAILS = {
    "company": "Acme Corp", "contact_name": "Alice Martin", "email": "billing@acme.example",
    "address": {"line1": "12 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"},
}
CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin"}


def test_a_postal_code_that_only_upper_case_makes_valid_is_refused(admin: httpx.Client) -> None:
    # Found by a random hypothesis run: "ß".upper() is "SS", which has the shape of a postal code.
    assert validate_postal_code("ß", "AD") is not None
    response = admin.put("/v1/billing_details", json={
        **DETAILS, "address": {**DETAILS["address"], "postal_code": "ß", "country": "AD", "city": "Andorra la Vella"}})
    error = response.json()["error"]
    assert (response.status_code, error["param"], error["code"]) == (400, "address.postal_code", "postal_code_invalid")


INVISIBLE = {
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "byte order mark": "\ufeff",
    "left-to-right isolate": "\u2066",
    "pop directional isolate": "\u2069",
}


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_format_characters_are_refused_in_names_and_addresses(admin: httpx.Client, character: str) -> None:
    before = admin.get("/v1/billing_details").json()
    response = admin.put("/v1/billing_details", json={
        **DETAILS, "company": f"Acme{character} Corp", "contact_name": f"{character}Alice Martin",
        "address": {**DETAILS["address"], "line1": f"12 rue{character} de la Paix", "line2": f"Bât. B{character}",
                    "city": f"Paris{character}"},
    })
    assert response.status_code == 400
    errors = {e["param"]: e for e in response.json()["error"]["errors"]}
    assert set(errors) == {"company", "contact_name", "address.line1", "address.line2", "address.city"}
    assert all(error["code"] == "parameter_invalid" and "invisible" in error["message"] for error in errors.values())
    assert admin.get("/v1/billing_details").json() == before  # nothing printed on a later invoice


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_format_characters_are_refused_in_the_name_on_a_card(admin: httpx.Client, character: str) -> None:
    response = admin.post("/v1/payment_methods", json={**CARD, "name": f"Alice{character} Martin"})
    error = response.json()["error"]
    assert (response.status_code, error["param"], error["code"]) == (400, "name", "parameter_invalid")
    assert "invisible" in error["message"]


def test_joiners_that_scripts_and_emoji_need_are_kept() -> None:
    # U+200C (zero-width non-joiner) is part of how Persian is spelt; U+200D joins emoji and Indic letters.
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert validate_billing_details(persian, "\u0915\u094d\u200d\u0937", "a@b.example", "1 rue X", "Paris",
                                    "75002", "FR", None) == []


def test_a_card_number_that_is_too_long_is_said_as_a_person_would(admin: httpx.Client) -> None:
    response = admin.post("/v1/payment_methods", json={**CARD, "number": "4242 " * 10})
    error = response.json()["error"]
    assert (response.status_code, error["param"]) == (400, "number")
    assert "items" not in error["message"]
    assert "too long" in error["message"] and "digit" in error["message"]


def test_an_expiry_in_a_past_year_names_the_year(admin: httpx.Client) -> None:
    response = admin.post("/v1/payment_methods", json={**CARD, "exp_month": 12, "exp_year": 2025})
    error = response.json()["error"]
    assert (response.status_code, error["param"], error["code"]) == (400, "exp_year", "invalid_expiry_year")
    assert "expired" in error["message"]


def test_an_expiry_in_a_past_month_of_this_year_names_the_month(admin: httpx.Client) -> None:
    response = admin.post("/v1/payment_methods", json={**CARD, "exp_month": 10, "exp_year": 2026})
    error = response.json()["error"]
    assert (response.status_code, error["param"], error["code"]) == (400, "exp_month", "invalid_expiry_month")
