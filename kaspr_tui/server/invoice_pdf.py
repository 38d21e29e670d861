"""An invoice as a PDF: the body of `GET /v1/invoices/{id}/pdf`.

Text is set in Roboto, embedded (subset) from the pinned `font-roboto` package rather than from the
machine's fonts, so every machine renders the same. Roboto covers the Latin, Greek and Cyrillic letters
of every EU language plus €, − and typographic quotes, so billing details print as issued. A character
it has no glyph for (an emoji, CJK) falls back to its plain-letter decomposition, or to `?`: see
`_drawable`.

The output depends on the invoice alone (its dates fill the PDF metadata), so the same invoice always
renders to the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from importlib.resources import as_file, files

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import TTFFont

from kaspr_tui.api.models import BillingDetails, CardSummary, Invoice
from kaspr_tui.billing.countries import COUNTRY_NAMES
from kaspr_tui.billing.money import format_money

SELLER_LINES = (
    "Kaspr SAS",
    "15 rue des Petites Écuries",
    "75010 Paris",
    "France",
    "VAT FR19812345676",
    "SIREN 812 345 676 · RCS Paris",
)
"""The demo seller: a made-up company whose VAT number passes the French checksum."""

REVERSE_CHARGE_MENTION = "VAT reverse charge — Article 196, Council Directive 2006/112/EC"

FONT = "roboto"
_FONT_FILES = {"": "Roboto-Regular.ttf", "B": "Roboto-Bold.ttf"}
UNDRAWABLE = "?"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_MARGIN = 18
_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_RULE = (206, 212, 218)
_LINE_HEIGHT = 5
_TOTALS_WIDTH = 80
_TOTALS_ROW_HEIGHT = 6.5
_TOTALS_BLOCK_HEIGHT = 45
"""Room the totals, reverse-charge mention and payment line need, so they never split across pages."""


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as an A4 PDF document."""
    pdf = _InvoiceDocument(invoice)
    pdf.add_page()
    pdf.draw_header()
    pdf.draw_parties()
    pdf.draw_lines()
    pdf.draw_totals()
    return bytes(pdf.output())


def invoice_title(invoice: Invoice) -> str:
    """`Invoice ACME-2026-000001`; an unnumbered invoice is a `Draft` until paid, or `Void`."""
    if invoice.number:
        return f"Invoice {invoice.number}"
    return "Invoice — Void" if invoice.status == "void" else "Invoice — Draft"


def format_rate(rate_percent: float) -> str:
    """`20 %`, `5.5 %`, `0 %`: no trailing `.0`, a space before the sign as on French invoices."""
    return f"{rate_percent:g} %"


def card_label(card: CardSummary) -> str:
    """`Visa •••• 4242`: the brand and the last four digits, never more of the number."""
    return f"{card.brand.title()} •••• {card.last4[-4:]}"


def billed_to_lines(details: BillingDetails) -> list[str]:
    """The customer's block as it was when the invoice was issued, one line per printed line."""
    address = details.address
    lines = [details.company, details.contact_name, details.email, address.line1]
    if address.line2:
        lines.append(address.line2)
    lines.append(f"{address.postal_code} {address.city}")
    if address.state:
        lines.append(address.state)
    lines.append(COUNTRY_NAMES.get(address.country, address.country))
    if details.vat_number:
        lines.append(f"VAT {details.vat_number}")
    return lines


def _date(moment: datetime) -> str:
    """`12 Mar 2026`, in English whatever the process locale."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def _drawable(text: str, has_glyph: Callable[[str], bool]) -> str:
    """`text` with every character the font cannot draw replaced, so nothing prints as a blank box.

    A letter with an accent the font lacks keeps its base letter (NFKD); anything else (an emoji, a CJK
    name) becomes one `?` per run, so a reader sees that something was there. Invisible format
    characters (zero-width joiners, soft hyphens) only matter to text shaping, which is off: dropped.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.category(char) == "Cf":
            continue
        if has_glyph(char):
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if has_glyph(c) and not unicodedata.combining(c))
        if base:
            out.append(base)
        elif not out or out[-1] != UNDRAWABLE:
            out.append(UNDRAWABLE)
    return "".join(out)


class _InvoiceDocument(FPDF):
    def __init__(self, invoice: Invoice) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.invoice = invoice
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN + 4)
        for style, filename in _FONT_FILES.items():
            with as_file(files("font_roboto") / "files" / filename) as path:
                self.add_font(FONT, style, path)
        font = self.fonts[FONT]
        assert isinstance(font, TTFFont)  # Roboto, a TrueType font, not one of the PDF core fonts
        glyphs = font.cmap
        self._has_glyph = lambda char: ord(char) in glyphs
        # Metadata from the invoice, not the clock, so the bytes are reproducible.
        self.set_creation_date(invoice.created)
        self.set_title(invoice_title(invoice))
        self.set_author(SELLER_LINES[0])
        self.set_subject(f"{invoice_title(invoice)} for {invoice.workspace_name}")
        self.set_lang("en")
        self.set_text_color(*_INK)
        self.set_draw_color(*_RULE)

    # ---- drawing helpers -------------------------------------------------------------------

    def _font(self, size: float, bold: bool = False, muted: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*(_MUTED if muted else _INK))

    def _text_lines(self, lines: Iterable[str], x: float, width: float, align: str = "L") -> None:
        for line in lines:
            self.set_x(x)
            text = _drawable(line, self._has_glyph)
            self.multi_cell(width, _LINE_HEIGHT, text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def _rule(self) -> None:
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())

    # ---- page furniture --------------------------------------------------------------------

    def footer(self) -> None:
        self.set_y(-_MARGIN)
        self._font(8, muted=True)
        page = f"{self.title} · page {self.page_no()} of {self.str_alias_nb_pages}"
        self.cell(0, 4, _drawable(page, self._has_glyph), align="C")

    # ---- sections --------------------------------------------------------------------------

    def draw_header(self) -> None:
        invoice = self.invoice
        half = self.epw / 2
        top = self.get_y()

        self._font(16, bold=True)
        self._text_lines(SELLER_LINES[:1], self.l_margin, half)
        self._font(9, muted=True)
        self._text_lines(SELLER_LINES[1:], self.l_margin, half)
        seller_bottom = self.get_y()

        right = self.l_margin + half
        self.set_y(top)
        self._font(16, bold=True)
        self._text_lines([invoice_title(invoice)], right, half, align="R")
        self._font(9)
        self._text_lines(self._facts(), right, half, align="R")

        self.set_y(max(seller_bottom, self.get_y()) + 6)
        self._rule()
        self.ln(6)

    def _facts(self) -> list[str]:
        invoice = self.invoice
        facts = [f"Issued {_date(invoice.created)}"]
        if invoice.status == "paid":
            facts.append(f"Paid {_date(invoice.paid_at)}" if invoice.paid_at else "Paid")
        elif invoice.status == "void":
            facts.append("Void: the payment failed, nothing is due")
        else:
            facts.append("Payment processing")
        facts.append(f"Service period {_date(invoice.period_start)} – {_date(invoice.period_end)}")
        return facts

    def draw_parties(self) -> None:
        invoice = self.invoice
        self._font(8, bold=True, muted=True)
        self._text_lines(["BILLED TO"], self.l_margin, self.epw)
        details = invoice.billing_details
        lines = billed_to_lines(details) if details else [invoice.workspace_name]
        self._font(10, bold=True)
        self._text_lines(lines[:1], self.l_margin, self.epw * 0.6)
        self._font(9)
        self._text_lines(lines[1:], self.l_margin, self.epw * 0.6)
        self.ln(8)

    def draw_lines(self) -> None:
        currency = self.invoice.currency
        self._font(9)
        with self.table(
            col_widths=(58, 10, 16, 16),
            text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD", color=_MUTED, size_pt=8),
            line_height=_LINE_HEIGHT,
            padding=(1.6, 1),
            width=self.epw,
            repeat_headings=1,
        ) as table:
            table.row(["Description", "Qty", "Unit price", "Amount"])
            for line in self.invoice.lines:
                table.row(
                    [
                        _drawable(line.description, self._has_glyph),
                        str(line.quantity),
                        format_money(line.unit_amount, currency),
                        format_money(line.amount, currency),
                    ]
                )
        self.ln(4)

    def draw_totals(self) -> None:
        invoice = self.invoice
        tax = invoice.tax
        if self.will_page_break(_TOTALS_BLOCK_HEIGHT):
            self.add_page()
        vat_label = f"VAT {format_rate(tax.rate_percent)}"
        if tax.reverse_charge:
            vat_label += " (reverse charge)"
        self._total_row("Subtotal", format_money(invoice.subtotal, invoice.currency))
        self._total_row(vat_label, format_money(tax.amount, invoice.currency))
        self.set_x(self.w - self.r_margin - _TOTALS_WIDTH)
        self.line(self.get_x(), self.get_y(), self.w - self.r_margin, self.get_y())
        self._total_row("Total", format_money(invoice.total, invoice.currency), bold=True)
        self._font(8, muted=True)
        self._text_lines([f"Amounts in {invoice.currency.upper()}"], self.l_margin, self.epw, align="R")
        self.ln(6)

        self._font(9)
        if tax.reverse_charge:
            self._text_lines([REVERSE_CHARGE_MENTION], self.l_margin, self.epw)
        if invoice.payment_method:
            self._text_lines([f"Card used: {card_label(invoice.payment_method)}"], self.l_margin, self.epw)

    def _total_row(self, label: str, amount: str, bold: bool = False) -> None:
        self._font(11 if bold else 9, bold=bold)
        label_width = _TOTALS_WIDTH * 0.6
        amount_width = _TOTALS_WIDTH - label_width
        self.set_x(self.w - self.r_margin - _TOTALS_WIDTH)
        self.cell(label_width, _TOTALS_ROW_HEIGHT, label)
        self.cell(amount_width, _TOTALS_ROW_HEIGHT, amount, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
