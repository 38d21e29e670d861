import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaspr_tui.billing.validation import (
    COUNTRY_NAMES,
    has_control_characters,
    validate_billing_details,
    validate_email,
    validate_postal_code,
)

ACME = dict(
    company="Acme Corp",
    contact_name="Jeanne Martin",
    email="billing@acme.fr",
    line1="12 rue de la Paix",
    city="Paris",
    postal_code="75002",
    country="FR",
    vat_number="FR40303265045",
)


@pytest.mark.parametrize(
    "email",
    [
        "billing@acme.fr",
        "jeanne.martin+kaspr@mail.acme.co.uk",
        "o'brien@example.ie",
        "user@xn--bcher-kva.example",
        "josé@société.fr",
    ],
)
def test_deliverable_emails_pass(email):
    assert validate_email(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "",
        "billing",
        "billing@acme",  # no dot in the domain
        "billing@@acme.fr",
        "bil ling@acme.fr",
        "billing@acme.fr\n",
        "billing@acme..fr",
        ".billing@acme.fr",
        "billing.@acme.fr",
        "billing@-acme.fr",
        "billing@acme.123",
        "a" * 65 + "@acme.fr",
        "billing@" + "a" * 250 + ".fr",
    ],
)
def test_undeliverable_emails_fail(email):
    error = validate_email(email)
    assert error is not None and error.code == "email_invalid"


def test_validate_email_reports_under_the_callers_param():
    error = validate_email("nope", param="invite_email")
    assert error is not None and error.param == "invite_email"


def test_country_names_cover_iso_3166():
    assert len(COUNTRY_NAMES) == 249
    assert COUNTRY_NAMES["FR"] == "France"
    assert COUNTRY_NAMES["GR"] == "Greece"
    assert COUNTRY_NAMES["GB"] == "United Kingdom"
    assert all(len(code) == 2 and code.isupper() for code in COUNTRY_NAMES)


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("75002", "FR"),
        ("10115", "DE"),
        ("28013", "ES"),
        ("00184", "IT"),
        ("1012 AB", "NL"),
        ("1012ab", "NL"),
        ("1000", "BE"),
        ("1100-148", "PT"),
        ("1010", "AT"),
        ("D02 X285", "IE"),
        ("D6W 1234", "IE"),
        ("00-950", "PL"),
        ("111 22", "SE"),
        ("SW1A 1AA", "GB"),
        ("EC1A1BB", "GB"),
        ("10001", "US"),
        ("10001-1234", "US"),
        ("K1A 0B1", "CA"),
        ("8001", "CH"),
        ("100-0001", "JP"),  # no pattern for Japan: the permissive rule applies
    ],
)
def test_real_postal_codes_pass(code, country):
    assert validate_postal_code(code, country) is None


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("7500", "FR"),
        ("750021", "FR"),
        ("53001", "ES"),  # provinces stop at 52
        ("0123 AB", "NL"),
        ("1100148", "PT"),
        ("B02 X285", "IE"),  # B is not an Eircode routing letter
        ("00950", "PL"),
        ("SW1A", "GB"),
        ("1000", "US"),
        ("D1A 0B1", "CA"),
        ("٧٥٠٠٢", "FR"),  # Arabic-Indic digits
        ("X", "JP"),
        ("@@@@", "JP"),
    ],
)
def test_wrong_postal_codes_fail(code, country):
    error = validate_postal_code(code, country)
    assert error is not None
    assert (error.param, error.code) == ("address.postal_code", "postal_code_invalid")


def test_the_postal_code_message_shows_an_example():
    error = validate_postal_code("7500", "FR")
    assert error is not None and error.message == "Enter a postal code of France, like 75002."


def test_has_control_characters():
    assert has_control_characters("Acme\nCorp")
    assert has_control_characters("Acme\x00")
    assert has_control_characters("Acme\tCorp")
    assert has_control_characters("Acme\u2028Corp")  # line separator
    assert not has_control_characters("Société Générale – Paris")


def test_good_billing_details_have_no_errors():
    assert validate_billing_details(**ACME) == []
    assert validate_billing_details(**{**ACME, "vat_number": None}) == []
    assert validate_billing_details(**{**ACME, "vat_number": "  "}) == []
    german = {**ACME, "country": "de", "postal_code": "10115", "vat_number": "DE136695976"}
    assert validate_billing_details(**german) == []


def test_every_error_is_reported_at_once_with_its_api_param():
    errors = validate_billing_details(
        company="", contact_name=None, email="not-an-email", line1=" ", city="Paris",
        postal_code="7500", country="FR", vat_number="FR40303265046",
    )
    assert [(error.param, error.code) for error in errors] == [
        ("company", "parameter_missing"),
        ("contact_name", "parameter_missing"),
        ("email", "email_invalid"),
        ("address.line1", "parameter_missing"),
        ("address.postal_code", "postal_code_invalid"),
        ("vat_number", "tax_id_invalid"),
    ]


def test_an_unknown_country_is_invalid_and_skips_the_checks_that_depend_on_it():
    errors = validate_billing_details(**{**ACME, "country": "XX"})
    assert [(error.param, error.code) for error in errors] == [("address.country", "parameter_invalid")]


def test_a_vat_number_must_belong_to_the_billing_country():
    [error] = validate_billing_details(**{**ACME, "vat_number": "DE136695976"})
    assert (error.param, error.code) == ("vat_number", "tax_id_invalid")


def test_long_text_and_control_characters_get_a_message_not_an_exception():
    errors = validate_billing_details(**{**ACME, "company": "A" * 201, "city": "Paris\r\nX-Injected: 1"})
    assert [(error.param, error.code) for error in errors] == [
        ("company", "parameter_invalid"),
        ("address.city", "parameter_invalid"),
    ]
    assert "200" in errors[0].message
    assert validate_billing_details(**{**ACME, "company": "A" * 200}) == []


def test_an_email_may_be_longer_than_other_fields_up_to_254_characters():
    long_email = "jeanne@" + "billing." * 30 + "acme.fr"  # 254 characters
    assert len(long_email) == 254
    assert validate_billing_details(**{**ACME, "email": long_email}) == []
    [error] = validate_billing_details(**{**ACME, "email": "j" + long_email})
    assert (error.param, error.code) == ("email", "parameter_invalid")


@given(st.text(max_size=300))
def test_a_company_name_is_refused_only_when_blank_too_long_or_with_control_or_invisible_characters(company):
    control = any(ord(char) < 32 or 127 <= ord(char) <= 159 or char in "\u2028\u2029" for char in company)
    # Format characters print nothing or reorder the text; the two joiners are part of some scripts' spelling.
    invisible = any(unicodedata.category(char) == "Cf" and char not in "\u200c\u200d" for char in company)
    refused = not company.strip() or len(company) > 200 or control or invisible
    errors = validate_billing_details(**{**ACME, "company": company})
    assert [error.param for error in errors] == (["company"] if refused else [])
