"""Checks on what people type into the billing details form, shared by the TUI and the server.

Every check returns `FieldError`s worded for the person at the keyboard; none raises on bad input.
"""

from __future__ import annotations

import re
import unicodedata

from kaspr_tui.billing.countries import COUNTRY_NAMES
from kaspr_tui.billing.errors import FieldError
from kaspr_tui.billing.tax import validate_vat_number

__all__ = [
    "COUNTRY_NAMES",
    "MAX_TEXT_LENGTH",
    "has_control_characters",
    "has_invisible_characters",
    "validate_billing_details",
    "validate_email",
    "validate_postal_code",
    "validate_text",
]

MAX_TEXT_LENGTH = 200
MAX_EMAIL_LENGTH = 254
"""The longest address SMTP can carry (RFC 5321 path limit minus the angle brackets)."""
MAX_MESSAGE_LENGTH = 5000
"""A request to support: its message."""
MAX_REASON_LENGTH = 1000
"""A support transfer: the reason both workspaces' activity shows."""
MAX_LOCAL_PART_LENGTH = 64

_CONTROL_CATEGORIES = {"Cc", "Zl", "Zp"}
_CONTROL_PICTURES = range(0x2400, 0x2440)
"""Unicode's Control Pictures block (␀ ␛ ␡ …): the app's inputs show a pasted control character as
one of these, and the symbol is no more a name or a street than the character was."""
_JOINERS = {"\u200c", "\u200d"}
"""Zero-width non-joiner and joiner: format characters Persian, Indic scripts and emoji are spelt with."""
_LOCAL_PART = re.compile(r"[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*")
_DOMAIN_LABEL = re.compile(r"[^\W_]([\w-]*[^\W_])?")

_EIRCODE_LETTERS = "ACDEFHKNPRTVWXY"
_POSTAL_CODES: dict[str, tuple[re.Pattern[str], str]] = {
    country: (re.compile(pattern, re.ASCII), example)
    for country, pattern, example in (
        ("AT", r"[1-9]\d{3}", "1010"),
        ("BE", r"[1-9]\d{3}", "1000"),
        ("CA", r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d", "K1A 0B1"),
        ("CH", r"[1-9]\d{3}", "8001"),
        ("DE", r"\d{5}", "10115"),
        ("ES", r"(0[1-9]|[1-4]\d|5[0-2])\d{3}", "28013"),
        ("FR", r"\d{5}", "75002"),
        ("GB", r"([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)", "SW1A 1AA"),
        ("IE", rf"([{_EIRCODE_LETTERS}]\d{{2}}|D6W) ?[\d{_EIRCODE_LETTERS}]{{4}}", "D02 X285"),
        ("IT", r"\d{5}", "00184"),
        ("NL", r"[1-9]\d{3} ?[A-Z]{2}", "1012 AB"),
        ("PL", r"\d{2}-\d{3}", "00-950"),
        ("PT", r"\d{4}-\d{3}", "1100-148"),
        ("SE", r"[1-9]\d{2} ?\d{2}", "111 22"),
        ("US", r"\d{5}(-\d{4})?", "10001"),
    )
}
_ANY_POSTAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9 -]{0,8}[A-Z0-9]")


def has_control_characters(value: str) -> bool:
    """Whether `value` holds a line break, tab, NUL, another control character, or the symbol of one (␛)."""
    return any(
        unicodedata.category(char) in _CONTROL_CATEGORIES or ord(char) in _CONTROL_PICTURES for char in value
    )


def has_invisible_characters(value: str) -> bool:
    """Whether `value` holds an invisible format character (Unicode category Cf) other than the joiners
    scripts need: a text-direction override or isolate (U+202E, U+2066-2069), a zero-width space
    (U+200B), a byte order mark (U+FEFF)… They print nothing, or reorder what is printed around them."""
    return any(unicodedata.category(char) == "Cf" and char not in _JOINERS for char in value)


def validate_email(value: str, param: str = "email") -> FieldError | None:
    """None if `value` looks like an address mail can be delivered to: `name@company.com`."""
    problem = FieldError(param, "email_invalid", "Enter an email address like name@company.com.")
    if len(value) > MAX_EMAIL_LENGTH:
        return FieldError(param, "email_invalid", f"An email address has at most {MAX_EMAIL_LENGTH} characters.")
    local, at, domain = value.partition("@")
    if not at or len(local) > MAX_LOCAL_PART_LENGTH or not _LOCAL_PART.fullmatch(local):
        return problem
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        return problem
    return None


def validate_postal_code(code: str, country: str, param: str = "address.postal_code") -> FieldError | None:
    """None if `code` has the shape postal codes have in `country` (case and spacing tolerant)."""
    pattern, example = _POSTAL_CODES.get(country.upper(), (_ANY_POSTAL_CODE, None))
    candidate = code.strip()
    # ASCII first: upper() turns "ß" into "SS", which has the shape of a postal code.
    if candidate.isascii() and pattern.fullmatch(candidate.upper()):
        return None
    if example is None:
        return FieldError(param, "postal_code_invalid", "Enter the postal code: 2 to 10 letters or digits.")
    country_name = COUNTRY_NAMES[country.upper()]
    return FieldError(param, "postal_code_invalid", f"Enter a postal code of {country_name}, like {example}.")


def validate_billing_details(
    company: str | None,
    contact_name: str | None,
    email: str | None,
    line1: str | None,
    city: str | None,
    postal_code: str | None,
    country: str | None,
    vat_number: str | None,
    *,
    line2: str | None = None,
    state: str | None = None,
) -> list[FieldError]:
    """Every problem with a set of billing details at once, each named by its API param.

    `country` is an ISO 3166-1 alpha-2 code in any case; `vat_number`, `line2` and `state` are optional.
    """
    country_code = (country or "").strip().upper()
    known_country = country_code in COUNTRY_NAMES

    def check_country(_: str) -> FieldError | None:
        if known_country:
            return None
        message = "Choose a country from the list (a two-letter ISO code)."
        return FieldError("address.country", "parameter_invalid", message)

    def check_postal_code(code: str) -> FieldError | None:
        return validate_postal_code(code, country_code) if known_country else None

    required_fields = [
        ("company", company, "the company name", None),
        ("contact_name", contact_name, "the contact name", None),
        ("email", email, "the billing email address", lambda value: validate_email(value.strip())),
        ("address.line1", line1, "the street address", None),
        ("address.city", city, "the city", None),
        ("address.postal_code", postal_code, "the postal code", check_postal_code),
        ("address.country", country, "the country", check_country),
    ]
    errors = []
    for param, value, label, check in required_fields:
        if value is None or not value.strip():
            errors.append(FieldError(param, "parameter_missing", f"Enter {label}."))
        elif error := validate_text(value, param, label) or (check and check(value)):
            errors.append(error)
    for param, value, label in (("address.line2", line2, "the second address line"),
                                ("address.state", state, "the state or region")):
        if value and (error := validate_text(value, param, label)):
            errors.append(error)
    if vat_number and vat_number.strip():
        error = validate_text(vat_number, "vat_number", "the VAT number")
        if error is None and known_country:
            error = validate_vat_number(vat_number, country_code)
        if error:
            errors.append(FieldError("vat_number", "tax_id_invalid", error.message))
    return errors


def validate_text(value: str, param: str, label: str) -> FieldError | None:
    """Text no field may hold: too long for an invoice, or with characters that break its layout or
    hide part of it. `label` names the field in the message: "the company name"."""
    max_length = MAX_EMAIL_LENGTH if param == "email" else MAX_TEXT_LENGTH
    if len(value) > max_length:
        return FieldError(param, "parameter_invalid", f"Shorten {label} to at most {max_length} characters.")
    if has_control_characters(value):
        return FieldError(param, "parameter_invalid", f"Remove line breaks and control characters from {label}.")
    if has_invisible_characters(value):
        return FieldError(param, "parameter_invalid",
                          f"Remove the invisible formatting characters (such as zero-width spaces or "
                          f"text-direction marks) from {label}: they hide or reorder what an invoice shows.")
    return None
