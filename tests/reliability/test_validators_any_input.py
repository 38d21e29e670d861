"""Every validator of `billing/` on any text at all (control characters, emoji, other scripts,
huge strings), as properties (hypothesis): it answers, never raises; a refusal names its field and
says what to do in a sentence; and what it accepts is safe to store and show (no control
character, no whitespace where none belongs). tests/unit covers each rule on chosen examples;
this covers the inputs nobody chose."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kaspr_tui.billing.cards import normalize_card_number, parse_expiry, validate_card
from kaspr_tui.billing.countries import COUNTRY_NAMES
from kaspr_tui.billing.errors import FieldError
from kaspr_tui.billing.tax import validate_vat_number
from kaspr_tui.billing.validation import (
    has_control_characters,
    validate_billing_details,
    validate_email,
    validate_postal_code,
)

TODAY = date(2026, 11, 27)
# Any text: every category of character, control characters included, now and then very long.
ANY_TEXT = st.one_of(st.text(max_size=60), st.text(max_size=3000).map(lambda text: text * 3))
COUNTRIES = st.sampled_from(sorted(COUNTRY_NAMES))
COUNTRY_OR_GARBAGE = st.one_of(COUNTRIES, st.text(max_size=4))


def is_a_clear_refusal(error: FieldError, param: str) -> bool:
    return error.param == param and bool(error.code) and error.message[:1].isupper() and error.message.endswith(".")


@given(ANY_TEXT)
def test_an_email_is_accepted_only_when_it_is_one_address_without_space_or_control(value: str) -> None:
    error = validate_email(value)
    if error is None:
        assert value.count("@") == 1 and not has_control_characters(value)
        assert not any(char.isspace() for char in value)
    else:
        assert is_a_clear_refusal(error, "email")


@given(ANY_TEXT, COUNTRIES)
def test_a_postal_code_is_accepted_only_without_control_characters(code: str, country: str) -> None:
    error = validate_postal_code(code, country)
    if error is None:
        assert not has_control_characters(code.strip()) and 2 <= len(code.strip()) <= 10
    else:
        assert is_a_clear_refusal(error, "address.postal_code")


@given(ANY_TEXT, COUNTRY_OR_GARBAGE)
def test_a_vat_number_of_any_text_is_accepted_only_without_control_characters(vat_number: str, country: str) -> None:
    error = validate_vat_number(vat_number, country)
    if error is None:
        assert not has_control_characters(vat_number)
    else:
        assert is_a_clear_refusal(error, "vat_number")


@given(ANY_TEXT)
def test_an_expiry_reads_as_a_real_month_of_a_four_digit_year_or_not_at_all(text: str) -> None:
    parsed = parse_expiry(text)
    if parsed is not None:
        month, year = parsed
        assert 1 <= month <= 12 and 2000 <= year <= 9999


@given(number=ANY_TEXT, month=st.integers(-5, 20), year=st.integers(-1, 10_000), cvc=ANY_TEXT)
def test_any_card_as_typed_gets_field_errors_that_never_repeat_it(number: str, month: int, year: int, cvc: str) -> None:
    errors = validate_card(number, month, year, cvc, TODAY)
    assert {error.param for error in errors} <= {"number", "exp_month", "exp_year", "cvc"}
    for error in errors:
        assert is_a_clear_refusal(error, error.param)
        digits = normalize_card_number(number)
        if len(digits) >= 4:
            assert digits[-4:] not in error.message.replace(" ", "")
        if len(cvc) >= 3:
            assert cvc not in error.message


@given(st.lists(st.one_of(st.none(), ANY_TEXT), min_size=7, max_size=7), COUNTRY_OR_GARBAGE)
def test_billing_details_of_any_text_get_at_most_one_clear_error_per_field(
    fields: list[str | None], country: str
) -> None:
    company, contact_name, email, line1, city, postal_code, vat_number = fields
    errors = validate_billing_details(company, contact_name, email, line1, city, postal_code, country, vat_number)
    params = [error.param for error in errors]
    assert len(params) == len(set(params)), "one message per field"
    for error in errors:
        assert is_a_clear_refusal(error, error.param)
    accepted = {
        "company": company, "contact_name": contact_name, "email": email,
        "address.line1": line1, "address.city": city, "address.postal_code": postal_code,
    }
    for param, value in accepted.items():
        if param not in params:
            assert value is not None and not has_control_characters(value), param
