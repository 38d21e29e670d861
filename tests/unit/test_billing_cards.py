from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaspr_tui.billing.cards import (
    detect_brand,
    format_card_number,
    luhn_valid,
    normalize_card_number,
    parse_expiry,
    validate_card,
)

TODAY = date(2026, 11, 27)


def with_luhn_digit(payload: str) -> str:
    """`payload` plus the check digit that makes it pass Luhn, computed the textbook way."""
    for check in "0123456789":
        digits = [int(char) for char in payload + check]
        odd = digits[-1::-2]
        even = [sum(divmod(2 * digit, 10)) for digit in digits[-2::-2]]
        if (sum(odd) + sum(even)) % 10 == 0:
            return payload + check
    raise AssertionError("one check digit always fits")


@pytest.mark.parametrize(
    "number", ["4242424242424242", "4000000000000002", "5555555555554444", "378282246310005", "6011111111111117"]
)
def test_test_cards_pass_luhn(number):
    assert luhn_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "4242424242424241",
        "1234567812345678",
        "",
        "4242 4242 4242 4242",  # normalize first
        "abcd",
        "4²42",
        "٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢",  # 4242… in Arabic-Indic digits
    ],
)
def test_luhn_rejects(number):
    assert not luhn_valid(number)


@given(st.text(alphabet="0123456789", min_size=11, max_size=18))
def test_luhn_accepts_every_number_with_its_check_digit_and_rejects_other_digits(payload):
    number = with_luhn_digit(payload)
    assert luhn_valid(number)
    wrong_digit = str((int(number[-1]) + 1) % 10)
    assert not luhn_valid(number[:-1] + wrong_digit)


def test_normalize_card_number():
    assert normalize_card_number(" 4242 4242-4242 4242 ") == "4242424242424242"


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", "visa"),
        ("5105105105105100", "mastercard"),
        ("5555555555554444", "mastercard"),
        ("2221000000000009", "mastercard"),  # the 2-series range starts at 2221…
        ("2720990000000000", "mastercard"),  # …and ends at 2720
        ("2220990000000000", "unknown"),
        ("2721000000000000", "unknown"),
        ("378282246310005", "amex"),
        ("341111111111111", "amex"),
        ("6011111111111117", "discover"),
        ("6445644564456445", "discover"),
        ("6500000000000002", "discover"),
        ("6221260000000000", "discover"),
        ("3530111333300000", "unknown"),  # JCB is not accepted here
        ("4242 4242 4242 4242", "visa"),
        ("", "unknown"),
    ],
)
def test_detect_brand(number, brand):
    assert detect_brand(number) == brand


@pytest.mark.parametrize(
    ("raw", "formatted"),
    [
        ("4242424242424242", "4242 4242 4242 4242"),
        ("378282246310005", "3782 822463 10005"),  # Amex 4-6-5
        ("42424", "4242 4"),  # as it is being typed
        ("4242-4242 4242x4242", "4242 4242 4242 4242"),
        ("", ""),
    ],
)
def test_format_card_number(raw, formatted):
    assert format_card_number(raw) == formatted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("04/28", (4, 2028)),
        ("4/28", (4, 2028)),
        ("12/2030", (12, 2030)),
        (" 01 / 27 ", (1, 2027)),
        ("13/28", None),
        ("00/28", None),
        ("0428", None),
        ("04/2", None),
        ("", None),
    ],
)
def test_parse_expiry(text, expected):
    assert parse_expiry(text) == expected


def test_a_good_card_has_no_errors():
    assert validate_card("4242 4242 4242 4242", 12, 2030, "123", TODAY) == []
    assert validate_card("378282246310005", 1, 2027, "1234", TODAY) == []
    assert validate_card("4242424242424242", 11, 2026, "123", TODAY) == []  # valid to the end of this month


def test_every_problem_is_reported_at_once():
    errors = validate_card("4242424242424241", 13, 2030, "12", TODAY)
    assert [(error.param, error.code) for error in errors] == [
        ("number", "card_number_invalid"),
        ("exp_month", "invalid_expiry_month"),
        ("cvc", "cvc_invalid"),
    ]


@pytest.mark.parametrize(
    ("number", "cvc", "fragment"),
    [
        ("", "123", "Enter the card number"),
        ("4242 4242 4242 424", "123", "incomplete"),
        ("3782822463100055", "1234", "incomplete"),  # 16 digits for an Amex
        ("4242424242424241", "123", "typo"),
        ("4242abcd42424242", "123", "digits only"),
    ],
)
def test_card_number_messages_say_what_to_do(number, cvc, fragment):
    [error] = validate_card(number, 12, 2030, cvc, TODAY)
    assert error.code == "card_number_invalid" and fragment in error.message


def test_an_expired_card_is_refused():
    [error] = validate_card("4242424242424242", 10, 2026, "123", TODAY)
    assert (error.param, error.code) == ("exp_month", "invalid_expiry_month")
    assert "expired" in error.message


def test_an_expiry_decades_away_is_a_typo():
    [error] = validate_card("4242424242424242", 1, 2099, "123", TODAY)
    assert (error.param, error.code) == ("exp_year", "invalid_expiry_year")


@pytest.mark.parametrize(
    ("number", "cvc"),
    [
        ("4242424242424242", "1234"),
        ("4242424242424242", "12a"),
        ("378282246310005", "123"),
        ("4242424242424242", ""),
        ("4242424242424242", "١٢٣"),  # Arabic-Indic digits are digits to Python, not to a card network
    ],
)
def test_cvc_has_3_digits_or_4_for_amex(number, cvc):
    [error] = validate_card(number, 12, 2030, cvc, TODAY)
    assert (error.param, error.code) == ("cvc", "cvc_invalid")


@given(
    number=st.text(alphabet="0123456789 -", min_size=4, max_size=25).filter(
        lambda raw: len(normalize_card_number(raw)) >= 4
    ),
    cvc=st.text(alphabet="0123456789", min_size=3, max_size=4),
)
def test_no_message_ever_repeats_the_card_number_or_cvc(number, cvc):
    last4 = normalize_card_number(number)[-4:]
    for error in validate_card(number, 12, 2030, cvc, TODAY):
        assert last4 not in error.message.replace(" ", "")
        assert cvc not in error.message
