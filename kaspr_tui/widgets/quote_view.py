"""A priced change, as the person paying should read it: every line, subtotal, VAT, total due now,
the next renewal, and the part that waits for the period end.

It takes the quote's values (anything shaped like the wire `Quote`, see `QuoteLike`) and the
plan names to show; it never fetches anything. Used by the Upgrade pane and the order review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from kaspr_tui.billing.money import format_money
from kaspr_tui.widgets.formatting import INTERVAL_LABELS, format_count, format_date


class QuoteLineLike(Protocol):
    description: str
    quantity: int
    unit_amount: int
    amount: int


class TaxLike(Protocol):
    rate_percent: float
    amount: int
    reverse_charge: bool


class ScheduledChangeLike(Protocol):
    plan: str
    interval: str
    seats: int
    effective_at: datetime


class QuoteLike(Protocol):
    """The fields of `kaspr_tui.api.models.Quote` this view reads (widgets do not import the wire)."""

    currency: str
    lines: Sequence[QuoteLineLike]
    subtotal: int
    tax: TaxLike
    total_due_now: int
    next_renewal_total: int
    scheduled_for: datetime | None
    scheduled_change: ScheduledChangeLike | None


def scheduled_change_words(plan_name: str, interval: str, seats: int, effective_at: datetime) -> str:
    """`Changes to Starter (monthly) × 8 seats on 17 Aug 2027`."""
    cadence = INTERVAL_LABELS.get(interval, interval)
    seat_words = f"{format_count(seats)} seat{'' if seats == 1 else 's'}"
    return f"Changes to {plan_name} ({cadence}) × {seat_words} on {format_date(effective_at)}"


def nothing_to_pay_words(scheduled_for: datetime) -> str:
    """What a change that only waits for the period end (a downgrade, fewer seats) costs today."""
    return f"Scheduled for {format_date(scheduled_for)} — nothing to pay now"


def tax_label(tax: TaxLike) -> str:
    rate = f"VAT {tax.rate_percent:g} %"
    return f"{rate} (reverse charge: the customer accounts for VAT)" if tax.reverse_charge else rate


def quote_table(quote: QuoteLike, plan_names: Mapping[str, str]) -> Table:
    money = lambda cents: format_money(cents, quote.currency)  # noqa: E731 — one currency per quote
    table = Table(box=None, pad_edge=False, show_header=False, expand=True)
    table.add_column("What", ratio=1, overflow="fold")
    table.add_column("Amount", justify="right", no_wrap=True)
    for line in quote.lines:
        what = Text(line.description)
        if line.quantity > 1:
            what.append(f"\n{format_count(line.quantity)} × {money(line.unit_amount)}", style="dim")
        table.add_row(what, money(line.amount))
    if quote.lines:
        table.add_row(Text("Subtotal", style="dim"), money(quote.subtotal))
        table.add_row(Text(tax_label(quote.tax), style="dim"), money(quote.tax.amount))
    table.add_row(Text("Total due now", style="bold"), Text(money(quote.total_due_now), style="bold"))
    table.add_row(Text("Next renewal total", style="dim"), money(quote.next_renewal_total))
    change = quote.scheduled_change
    if change is not None:
        words = scheduled_change_words(
            plan_names.get(change.plan, change.plan.title()), change.interval, change.seats, change.effective_at
        )
        table.add_row(Text(words, style="bold"), "")
    if quote.scheduled_for is not None and quote.total_due_now == 0:
        table.add_row(Text(nothing_to_pay_words(quote.scheduled_for)), "")
    return table


class QuoteView(Static):
    """The whole quote, or a line saying why there is none."""

    DEFAULT_CSS = """
    QuoteView { height: auto; }
    """

    def show_quote(self, quote: QuoteLike, plan_names: Mapping[str, str]) -> None:
        self.update(quote_table(quote, plan_names))

    def show_message(self, message: str) -> None:
        self.update(Text(message, style="dim"))
