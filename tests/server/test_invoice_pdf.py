"""The invoice PDF as a customer or an accountant reads it: text pulled back out with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from kaspr_tui.api.models import (
    Address,
    BillingDetails,
    CardSummary,
    Invoice,
    QuoteLine,
    Tax,
)
from kaspr_tui.billing.money import format_money
from kaspr_tui.server.invoice_pdf import REVERSE_CHARGE_MENTION, render_invoice_pdf

ISSUED = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
PAID = datetime(2026, 3, 14, 16, 5, tzinfo=UTC)
PERIOD_END = datetime(2026, 4, 12, 9, 30, tzinfo=UTC)

ACME_DETAILS = BillingDetails(
    company="Acme Corp",
    contact_name="Wile E. Coyote",
    email="billing@acme.example",
    address=Address(
        line1="12 rue de Rivoli", line2="3e étage", city="Paris", postal_code="75004", country="FR"
    ),
    vat_number="FR40303265045",
    vat_status="valid",
)


def make_lines(count: int) -> list[QuoteLine]:
    return [
        QuoteLine(description=f"Line item {i:02d}", quantity=1, unit_amount=1000, amount=1000)
        for i in range(count)
    ]


def make_invoice(
    lines: list[QuoteLine] | None = None,
    rate_percent: float = 20.0,
    reverse_charge: bool = False,
    **overrides: Any,
) -> Invoice:
    """A paid invoice whose totals add up: VAT is `rate_percent` of the lines' sum."""
    lines = lines if lines is not None else [
        QuoteLine(description="Business plan, monthly", quantity=10, unit_amount=9900, amount=99000),
        QuoteLine(description="Phone credits", quantity=500, unit_amount=40, amount=20000),
    ]
    subtotal = sum(line.amount for line in lines)
    tax_amount = round(subtotal * rate_percent / 100)
    fields: dict[str, Any] = {
        "id": "in_test",
        "number": "ACME-2026-000007",
        "status": "paid",
        "created": ISSUED,
        "total": subtotal + tax_amount,
        "period_start": ISSUED,
        "period_end": PERIOD_END,
        "lines": lines,
        "subtotal": subtotal,
        "tax": Tax(rate_percent=rate_percent, amount=tax_amount, reverse_charge=reverse_charge),
        "billing_details": ACME_DETAILS,
        "payment_method": CardSummary(brand="visa", last4="4242"),
        "paid_at": PAID,
        "workspace_name": "Acme Corp",
    }
    fields.update(overrides)
    return Invoice(**fields)


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with whitespace collapsed, so wrapped lines read as one sentence."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def text_of(invoice: Invoice) -> str:
    return " ".join(page_texts(render_invoice_pdf(invoice)))


def test_it_is_a_pdf_titled_with_the_invoice_number() -> None:
    pdf = render_invoice_pdf(make_invoice())
    assert pdf.startswith(b"%PDF-")
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Invoice ACME-2026-000007"
    assert "Invoice ACME-2026-000007" in text_of(make_invoice())


def test_it_shows_every_line_with_quantity_unit_price_and_amount() -> None:
    text = text_of(make_invoice())
    # Description, qty, unit price, amount read left to right on one row.
    assert "Business plan, monthly 10 €99.00 €990.00" in text
    assert "Phone credits 500 €0.40 €200.00" in text


def test_a_french_customer_pays_20_percent_vat_on_the_subtotal() -> None:
    invoice = make_invoice()
    text = text_of(invoice)
    # 10 × €99.00 + 500 × €0.40 = €1,190.00; 20 % of it is €238.00; €1,428.00 in all.
    assert invoice.subtotal == 119000 and invoice.tax.amount == 23800 and invoice.total == 142800
    assert f"Subtotal {format_money(119000)}" in text
    assert f"VAT 20 % {format_money(23800)}" in text
    assert f"Total {format_money(142800)}" in text
    assert "Amounts in EUR" in text
    assert "reverse charge" not in text.lower()


def test_a_non_integer_rate_prints_as_written() -> None:
    assert "VAT 25.5 %" in text_of(make_invoice(rate_percent=25.5))


def test_reverse_charge_states_the_legal_mention_and_no_vat() -> None:
    berlin = Address(line1="Unter den Linden 1", city="Berlin", postal_code="10117", country="DE")
    details = ACME_DETAILS.model_copy(update={"address": berlin, "vat_number": "DE136695976"})
    invoice = make_invoice(rate_percent=0, reverse_charge=True, billing_details=details)
    text = text_of(invoice)
    assert REVERSE_CHARGE_MENTION == "VAT reverse charge — Article 196, Council Directive 2006/112/EC"
    assert REVERSE_CHARGE_MENTION in text
    assert f"VAT 0 % (reverse charge) {format_money(0)}" in text
    assert f"Total {format_money(invoice.subtotal)}" in text


def test_billed_to_shows_the_details_as_issued_with_the_country_name() -> None:
    text = text_of(make_invoice())
    for expected in (
        "Acme Corp",
        "Wile E. Coyote",
        "billing@acme.example",
        "12 rue de Rivoli",
        "3e étage",
        "75004 Paris",
        "France",
        "VAT FR40303265045",
    ):
        assert expected in text
    berlin = Address(line1="Unter den Linden 1", city="Berlin", postal_code="10117", country="DE")
    german = ACME_DETAILS.model_copy(update={"address": berlin})
    assert "10117 Berlin Germany" in text_of(make_invoice(billing_details=german))


def test_without_billing_details_the_workspace_is_billed() -> None:
    assert "Globex" in text_of(make_invoice(billing_details=None, workspace_name="Globex"))


def test_dates_issue_paid_and_service_period() -> None:
    text = text_of(make_invoice())
    assert "Issued 12 Mar 2026" in text
    assert "Paid 14 Mar 2026" in text
    assert "Service period 12 Mar 2026 – 12 Apr 2026" in text


@pytest.mark.parametrize(("status", "title"), [("open", "Invoice — Draft"), ("void", "Invoice — Void")])
def test_an_unnumbered_invoice_is_a_draft_or_void(status: str, title: str) -> None:
    text = text_of(make_invoice(number=None, status=status, paid_at=None))
    assert title in text
    assert "Paid" not in text


def test_the_card_shows_brand_and_last_four_digits_only() -> None:
    assert "Card used: Visa •••• 4242" in text_of(make_invoice())
    # Even if a caller slipped a whole number into the summary, only its last four digits print.
    leaky = make_invoice(payment_method=CardSummary(brand="visa", last4="4000056655665556"))
    text = text_of(leaky)
    assert "•••• 5556" in text
    assert "40000566" not in text.replace(" ", "")


def test_a_credit_line_prints_with_a_minus_sign() -> None:
    lines = [
        QuoteLine(description="Unused time on Starter", quantity=1, unit_amount=-2950, amount=-2950),
        QuoteLine(description="Business plan, prorated", quantity=1, unit_amount=4950, amount=4950),
    ]
    credit = format_money(-2950)
    assert f"Unused time on Starter 1 {credit} {credit}" in text_of(make_invoice(lines))
    assert format_money(-2950).startswith("−")


def test_same_invoice_same_bytes_dated_from_the_invoice() -> None:
    invoice = make_invoice()
    first = render_invoice_pdf(invoice)
    assert render_invoice_pdf(invoice.model_copy(deep=True)) == first
    assert PdfReader(io.BytesIO(first)).metadata.creation_date == ISSUED
    assert render_invoice_pdf(make_invoice(number="ACME-2026-000008")) != first


def test_accents_quotes_and_other_scripts_print_as_issued() -> None:
    details = ACME_DETAILS.model_copy(
        update={"company": "Société “Générale” d’Électricité", "contact_name": "Zoë Łukasiewicz-Ντόβα"}
    )
    text = text_of(make_invoice(billing_details=details))
    assert "Société “Générale” d’Électricité" in text
    assert "Zoë Łukasiewicz-Ντόβα" in text


def test_characters_the_font_cannot_draw_become_a_question_mark() -> None:
    details = ACME_DETAILS.model_copy(update={"company": "Rocket 🚀👩‍🚀 Labs 株式会社"})
    text = text_of(make_invoice(billing_details=details))
    # One `?` per run of undrawable characters (the emoji joiner included), the rest kept.
    assert "Rocket ? Labs ?" in text
    assert "🚀" not in text


def test_a_handful_of_lines_and_a_long_company_name_fit_one_page() -> None:
    long_name = "Compagnie Internationale des Wagons-Lits et du Tourisme " * 4 + "X" * 120
    details = ACME_DETAILS.model_copy(update={"company": long_name})
    pages = page_texts(render_invoice_pdf(make_invoice(make_lines(6), billing_details=details)))
    assert len(pages) == 1
    assert "X" * 60 in pages[0].replace(" ", "")


def test_sixty_lines_run_over_pages_with_the_total_on_the_last() -> None:
    invoice = make_invoice(make_lines(60))
    pages = page_texts(render_invoice_pdf(invoice))
    assert len(pages) > 1
    everything = " ".join(pages)
    for line in invoice.lines:
        assert line.description in everything
    total = f"Total {format_money(invoice.total)}"
    assert total in pages[-1]
    assert all(total not in page for page in pages[:-1])
    assert f"page {len(pages)} of {len(pages)}" in pages[-1]
