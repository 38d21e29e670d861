"""The command line's words (billing/order_words.py) are the TUI's, until the TUI uses them itself.

The TUI's review and add-ons dialog word an order in Textual modules the command line may not
import; these pin both to the same sentences.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kaspr_tui.api.models import Address, BillingDetails, CreditBalance, PaymentMethod, RecurringAddon, Tax
from kaspr_tui.billing import formatting, order_words
from kaspr_tui.screens import addons, licenses
from kaspr_tui.screens.checkout import review
from kaspr_tui.widgets import formatting as widget_formatting
from kaspr_tui.widgets import quote_view

WHEN = datetime(2027, 8, 22, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize("interval", ["month", "year"])
@pytest.mark.parametrize("seats", [1, 2, 1000])
def test_terms_and_scheduled_change(interval, seats):
    assert order_words.describe_terms("Starter", interval, seats) == quote_view.describe_terms(
        "Starter", interval, seats
    )
    assert order_words.scheduled_change_words("Starter", interval, seats, WHEN) == (
        quote_view.scheduled_change_words("Starter", interval, seats, WHEN)
    )
    assert order_words.nothing_to_pay_words(WHEN) == quote_view.nothing_to_pay_words(WHEN)


@pytest.mark.parametrize(("rate", "reverse"), [(20.0, False), (0.0, True), (25.5, False)])
def test_tax_label(rate, reverse):
    tax = Tax(rate_percent=rate, amount=0, reverse_charge=reverse)
    assert order_words.tax_label(tax) == quote_view.tax_label(tax)


def test_card_and_billed_to():
    card = PaymentMethod(id="pm_1", brand="amex", last4="0005", exp_month=4, exp_year=2031, is_default=True)
    assert order_words.card_line(card.brand, card.last4, card.exp_month, card.exp_year) == review.card_line(card)
    details = BillingDetails(
        company="Globex",
        contact_name="Gina Lopez",
        email="ap@globex.test",
        vat_number=None,
        address=Address(
            line1="Hauptstr. 1", line2="Hof 2", city="Berlin", postal_code="10115", state=None, country="DE"
        ),
    )
    assert "\n".join(order_words.billed_to_lines(details)) == review.billed_to(details)


@pytest.mark.parametrize(("quantity", "renews"), [(0, True), (500, True), (500, False)])
def test_pack_terms_and_balance(quantity, renews):
    pack = RecurringAddon(type="phone", quantity=quantity, auto_renew=renews) if quantity else None
    assert order_words.pack_terms_words(quantity, renews, 75, "22 Dec 2026") == addons.terms_words(
        pack, 75, "22 Dec 2026"
    )
    balance = CreditBalance(type="phone", included=2000, addon=500, used=340, remaining=2160, resets_at=WHEN)
    assert order_words.balance_words("Phone credits", 2000, 500, 2160, WHEN) == addons.balance_words(
        "Phone credits", balance
    )


def test_formatting_is_the_widgets_formatting():
    for name in ("MONTHS", "CARD_BRANDS", "INTERVAL_LABELS"):
        assert getattr(formatting, name) == getattr(widget_formatting, name)
    assert formatting.format_date(WHEN) == widget_formatting.format_date(WHEN)
    assert formatting.format_card("discover", "1117") == widget_formatting.format_card("discover", "1117")
    assert formatting.format_plan("Business", "year") == widget_formatting.format_plan("Business", "year")


def test_license_change_rules():
    assert order_words.license_change_rules("17 Aug 2027") == licenses.change_rules("17 Aug 2027")
