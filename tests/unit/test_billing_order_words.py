"""The order's words (billing/order_words.py): what the review and the command line say."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.order_words import (
    balance_words,
    billed_to_lines,
    card_line,
    confirm_label,
    describe_terms,
    line_words,
    outcome_title,
    pack_terms_words,
    scheduled_lines,
    tax_label,
    totals_rows,
    what_changed_lines,
)

RENEWS = datetime(2027, 8, 22, tzinfo=UTC)
PERIOD_END = datetime(2027, 8, 22, tzinfo=UTC)


def quote(**changes):
    values = dict(
        currency="eur",
        plan="business",
        interval="year",
        seats=12,
        addons=[],
        lines=[
            SimpleNamespace(
                description="Business (annual) × 10 seats, unused time", quantity=1, unit_amount=-60000, amount=-60000
            ),
            SimpleNamespace(
                description="Business (annual) × 12 seats, rest of the period",
                quantity=12,
                unit_amount=6000,
                amount=72000,
            ),
        ],
        subtotal=12000,
        tax=SimpleNamespace(rate_percent=20.0, amount=2400, reverse_charge=False),
        total_due_now=14400,
        next_renewal_total=1137600,
        renews_at=RENEWS,
        monthly_addons_total=0,
        monthly_addons_from=None,
        scheduled_for=None,
        scheduled_change=None,
    )
    values.update(changes)
    return SimpleNamespace(**values)


def name(plan_id: str) -> str:
    return plan_id.title()


def test_a_line_for_unused_time_reads_as_a_credit_and_quantities_show_the_unit_price():
    credit, seats = quote().lines
    assert line_words(credit, "eur") == ("Business (annual) × 10 seats, unused time (credit)", None, "−€600.00")
    assert line_words(seats, "eur") == ("Business (annual) × 12 seats, rest of the period", "12 × €60.00", "€720.00")


def test_totals_say_subtotal_vat_total_due_now_and_the_next_renewal_with_its_date():
    assert totals_rows(quote()) == [
        ("Subtotal", "€120.00"),
        ("VAT 20 %", "€24.00"),
        ("Total due now", "€144.00"),
        ("Next renewal on 22 Aug 2027", "€11,376.00"),
    ]


def test_an_annual_plans_packs_are_said_as_charged_every_month_before_the_renewal():
    packs = quote(monthly_addons_total=48000, monthly_addons_from=datetime(2026, 12, 22, tzinfo=UTC))
    assert totals_rows(packs)[-2:] == [
        ("Add-on packs every month from 22 Dec 2026", "€480.00"),
        ("Next renewal on 22 Aug 2027", "€11,376.00"),
    ]


def test_nothing_charged_now_has_no_subtotal_and_says_when_the_change_applies():
    change = SimpleNamespace(plan="starter", interval="month", seats=8, effective_at=PERIOD_END)
    waiting = quote(lines=[], subtotal=0, total_due_now=0, scheduled_for=PERIOD_END, scheduled_change=change)
    assert totals_rows(waiting) == [("Total due now", "€0.00"), ("Next renewal on 22 Aug 2027", "€11,376.00")]
    assert scheduled_lines(waiting, name) == [
        "Changes to Starter (monthly) × 8 seats on 22 Aug 2027",
        "Scheduled for 22 Aug 2027 — nothing to pay now",
    ]
    assert confirm_label(waiting) == "Confirm change"
    assert confirm_label(quote()) == "Continue to payment"
    assert scheduled_lines(quote(), name) == []


def test_reverse_charge_is_said_in_full():
    assert tax_label(SimpleNamespace(rate_percent=0.0, amount=0, reverse_charge=True)) == (
        "VAT 0 % (reverse charge: the customer accounts for VAT)"
    )
    assert tax_label(SimpleNamespace(rate_percent=25.5, amount=0, reverse_charge=False)) == "VAT 25.5 %"


def test_terms_card_and_billed_to():
    assert describe_terms("Starter", "month", 1) == "Starter (monthly) × 1 seat"
    assert card_line("visa", "4242", 3, 2029) == "Visa •••• 4242  expires 03/2029"
    details = SimpleNamespace(
        company="Acme Corp",
        contact_name="Alice Martin",
        email="billing@acme.test",
        vat_number="FR40303265045",
        address=SimpleNamespace(
            line1="10 rue de la Paix", line2=None, city="Paris", postal_code="75002", state=None, country="FR"
        ),
    )
    assert billed_to_lines(details) == (
        "Acme Corp · Alice Martin · billing@acme.test",
        "10 rue de la Paix, 75002 Paris, FR · VAT FR40303265045",
    )


def test_what_changed_after_a_payment():
    bought = quote(
        plan="business",
        interval="year",
        seats=10,
        total_due_now=4800,
        addons=[SimpleNamespace(type="phone", quantity=100)],
        monthly_addons_total=28800,
        monthly_addons_from=datetime(2026, 12, 22, tzinfo=UTC),
    )
    assert what_changed_lines(bought, ("business", "year", 10), name, "Visa •••• 4242", {"phone": True}) == [
        "100 Phone credits added now, renewed and charged every month until you turn auto-renew off.",
        "Charged €48.00 to Visa •••• 4242.",
        "Add-on packs every month from 22 Dec 2026: €288.00.",
    ]
    assert what_changed_lines(bought, ("business", "year", 10), name, "Visa •••• 4242", {"phone": False})[0] == (
        "100 Phone credits added now, for this period only: auto-renew of the pack is off."
    )
    upgraded = quote(plan="organization", seats=12)
    assert what_changed_lines(upgraded, ("business", "year", 10), name, "Visa •••• 4242", {})[0] == (
        "Your plan is now Organization (annual) × 12 seats."
    )
    fewer = quote(
        seats=8,
        total_due_now=0,
        scheduled_change=SimpleNamespace(plan="business", interval="year", seats=8, effective_at=PERIOD_END),
    )
    # A scheduled change: not the plan of today, not a payment (issue 12, defect 3).
    assert outcome_title(fewer) == "Change scheduled" and outcome_title(bought) == "Payment succeeded"
    assert what_changed_lines(fewer, ("business", "year", 10), name, "Visa •••• 4242", {}) == [
        "Nothing is charged today; from 22 Aug 2027 you are on Business (annual) × 8 seats, "
        f"and the renewal that day is {format_money(fewer.next_renewal_total)}.",
    ]


def test_pack_terms_and_balance():
    assert pack_terms_words(500, True, 100, "22 Dec 2026") == (
        "Added now, then renewed and charged every month at this quantity until you turn auto-renew off: "
        "your pack becomes 600 a month. Unused credits never carry over."
    )
    assert pack_terms_words(10000, False, 100, "22 Dec 2026").startswith(
        "Your pack ends at the reset on 22 Dec 2026, so credits added now are for this period only"
    )
    assert balance_words("Phone credits", 340, 2160, datetime(2026, 12, 22, tzinfo=UTC)) == (
        "Phone credits left this period: 2,160 of 2,500 · reset on 22 Dec 2026"
    )
