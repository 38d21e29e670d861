"""The words every part of the app shares (server messages, screens, command line): counts, terms, bounds, VAT."""

from __future__ import annotations

from decimal import Decimal

from kaspr_tui.billing.words import (
    plural,
    seats_ceiling_reason,
    seats_floor_reason,
    terms_words,
    vat_charge_words,
    vat_label,
)


def test_a_count_takes_an_s_unless_it_is_one_and_is_grouped_by_thousands() -> None:
    assert [plural(count, "seat") for count in (0, 1, 2, 1000)] == ["0 seats", "1 seat", "2 seats", "1,000 seats"]


def test_terms_read_as_the_quote_lines_do() -> None:
    assert terms_words("Business", "year", 10) == "Business (annual) × 10 seats"
    assert terms_words("Starter", "month", 1, "added seat") == "Starter (monthly) × 1 added seat"
    assert terms_words("Organization", "year", 1000) == "Organization (annual) × 1,000 seats"


def test_each_bound_of_the_seat_count_says_why() -> None:
    assert seats_floor_reason("Acme Corp", 7, 1) == (
        "Acme Corp has 7 members and 1 pending invitation: remove members or revoke invitations first to go lower."
    )
    assert seats_ceiling_reason("Starter", 50) == (
        "The Starter plan allows at most 50 users: choose a larger plan for more."
    )


def test_vat_reads_its_rate_or_the_reverse_charge() -> None:
    assert vat_label(20.0, False) == "VAT 20 %"
    assert vat_label(0.0, True) == "VAT 0 % (reverse charge: the customer accounts for VAT)"
    assert vat_charge_words(Decimal("5.5"), False) == "VAT 5.5 % applies"
    assert vat_charge_words(Decimal("0"), True) == "reverse charge, 0 % VAT"
