"""Card checks the TUI and the server share (API.md rule 8).

No message, repr or error here ever contains the card number or the CVC.
"""

from __future__ import annotations

import re
from datetime import date

from kaspr_tui.billing.errors import FieldError
from kaspr_tui.billing.validation import has_control_characters

MIN_CARD_DIGITS = 12
MAX_CARD_DIGITS = 19
MAX_YEARS_AHEAD = 20
"""Cards are issued for a few years; a later expiry is a typo."""

_BRAND_LENGTHS: dict[str, tuple[int, ...]] = {
    "visa": (13, 16, 19),
    "mastercard": (16,),
    "amex": (15,),
    "discover": (16, 17, 18, 19),
}
_EXPIRY = re.compile(r"\s*([0-9]{1,2})\s*/\s*([0-9]{2}|[0-9]{4})\s*")


def _is_digits(text: str) -> bool:
    """ASCII digits only: `str.isdigit` also accepts `²` and other scripts' digits."""
    return text.isascii() and text.isdigit()


def normalize_card_number(raw: str) -> str:
    """The number as typed, without the spaces and dashes people group digits with."""
    return re.sub(r"[\s-]", "", raw)


def luhn_valid(number: str) -> bool:
    """Whether the digits pass the Luhn checksum every card number carries."""
    if not _is_digits(number):
        return False
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def detect_brand(number: str) -> str:
    """`visa`, `mastercard`, `amex`, `discover` or `unknown`, from the leading digits (IIN)."""
    digits = normalize_card_number(number)
    if not _is_digits(digits):
        return "unknown"

    def prefix(length: int) -> int:
        return int(digits[:length]) if len(digits) >= length else -1

    if digits.startswith("4"):
        return "visa"
    if 51 <= prefix(2) <= 55 or 2221 <= prefix(4) <= 2720:
        return "mastercard"
    if prefix(2) in (34, 37):
        return "amex"
    if prefix(4) == 6011 or prefix(2) == 65 or 644 <= prefix(3) <= 649 or 622126 <= prefix(6) <= 622925:
        return "discover"
    return "unknown"


def cvc_length(brand: str) -> int:
    """Digits in the security code: 4 on the front of an Amex, 3 on the back of any other card."""
    return 4 if brand == "amex" else 3


def format_card_number(raw: str) -> str:
    """Digits grouped as printed on the card: 4-4-4-4, or 4-6-5 for Amex. Works on partial input."""
    digits = re.sub(r"[^0-9]", "", raw)[:MAX_CARD_DIGITS]
    sizes = (4, 6, 5) if detect_brand(digits) == "amex" else (4,) * 5
    groups, start = [], 0
    for size in sizes:
        if start >= len(digits):
            break
        groups.append(digits[start : start + size])
        start += size
    return " ".join(groups)


def parse_expiry(text: str) -> tuple[int, int] | None:
    """`MM/YY` or `MM/YYYY` as (month, four-digit year); None if it is not a valid month."""
    match = _EXPIRY.fullmatch(text)
    if not match:
        return None
    month, year = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return None
    return month, year + 2000 if year < 100 else year


def validate_card(number: str, exp_month: int, exp_year: int, cvc: str, today: date) -> list[FieldError]:
    """Every problem with a card as typed, each worded to say what to fix."""
    errors = []
    digits = normalize_card_number(number)
    brand = detect_brand(digits)
    number_error = _card_number_problem(digits, brand)
    if number_error:
        errors.append(FieldError("number", "card_number_invalid", number_error))
    expiry_error = _expiry_problem(exp_month, exp_year, today)
    if expiry_error:
        errors.append(expiry_error)
    digits_needed = cvc_length(brand)
    if not (_is_digits(cvc) and len(cvc) == digits_needed):
        where = "on the front of the card" if brand == "amex" else "on the back of the card"
        errors.append(FieldError("cvc", "cvc_invalid", f"Enter the {digits_needed}-digit security code {where}."))
    return errors


def _card_number_problem(digits: str, brand: str) -> str | None:
    if not digits:
        return "Enter the card number."
    if not _is_digits(digits):
        return "A card number has digits only: remove any letters or symbols."
    lengths = _BRAND_LENGTHS.get(brand, range(MIN_CARD_DIGITS, MAX_CARD_DIGITS + 1))
    if len(digits) not in lengths:
        return "This card number is incomplete or too long: check that you typed every digit once."
    if not luhn_valid(digits):
        return "This card number is not valid: check the digits for a typo."
    return None


def _expiry_problem(exp_month: int, exp_year: int, today: date) -> FieldError | None:
    """A problem with the month or with the year, named as Stripe names it."""
    if not 1 <= exp_month <= 12:
        return FieldError("exp_month", "invalid_expiry_month",
                          "Enter the expiry month as printed on the card, 01 to 12.")
    if exp_year < today.year:
        return FieldError("exp_year", "invalid_expiry_year", "This card has expired: use a card that is still valid.")
    if exp_year == today.year and exp_month < today.month:
        return FieldError("exp_month", "invalid_expiry_month",
                          "This card has expired: use a card that is still valid.")
    if exp_year > today.year + MAX_YEARS_AHEAD:
        return FieldError("exp_year", "invalid_expiry_year", "Check the expiry year: it is too far in the future.")
    return None


def validate_card_text(number: str, expiry: str, cvc: str, name: str, today: date) -> list[FieldError]:
    """Every problem with a card as typed as text (expiry `MM/YY`), each by its API param
    (`number`, `exp_month`, `cvc`, `name`): `validate_card`'s, and the expiry's and name's own."""
    month, year = parse_expiry(expiry) or (0, 0)
    errors = {error.param: error for error in validate_card(number, month, year, cvc.strip(), today)}
    if not expiry.strip():
        message = "Enter the expiry date as printed on the card, MM/YY."
        errors["exp_month"] = FieldError("exp_month", "expiry_invalid", message)
    elif month == 0:
        errors["exp_month"] = FieldError("exp_month", "expiry_invalid", "Enter the expiry as MM/YY, like 08/29.")
    name = name.strip()
    if not name:
        errors["name"] = FieldError("name", "parameter_missing", "Enter the name as printed on the card.")
    elif has_control_characters(name):
        message = "Remove line breaks and control characters from the name."
        errors["name"] = FieldError("name", "parameter_invalid", message)
    return list(errors.values())
