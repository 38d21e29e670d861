"""A priced change, worded once for every screen that shows one: every line, subtotal, VAT, total
due now, the next renewal and when it bills, and the part that waits for the period end.

The Upgrade pane shows it whole (`QuoteView`); the order review lays out the same pieces
(`lines_table`, `totals_table`, `scheduled_words`) among its own. They take the quote's values
(anything shaped like the wire `Quote`, see `QuoteLike`) and a way to name plans; they never
fetch anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.words import terms_words, vat_label
from kaspr_tui.widgets.formatting import format_count, format_date


class QuoteLineLike(Protocol):
    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_amount(self) -> int: ...
    @property
    def amount(self) -> int: ...


class TaxLike(Protocol):
    @property
    def rate_percent(self) -> float: ...
    @property
    def amount(self) -> int: ...
    @property
    def reverse_charge(self) -> bool: ...


class ScheduledChangeLike(Protocol):
    @property
    def plan(self) -> str: ...
    @property
    def interval(self) -> str: ...
    @property
    def seats(self) -> int: ...
    @property
    def effective_at(self) -> datetime: ...


class QuoteLike(Protocol):
    """The fields of `kaspr_tui.api.models.Quote` this view reads (widgets do not import the wire);
    read-only, so the wire model's own field types fit."""

    @property
    def currency(self) -> str: ...
    @property
    def lines(self) -> Sequence[QuoteLineLike]: ...
    @property
    def subtotal(self) -> int: ...
    @property
    def tax(self) -> TaxLike: ...
    @property
    def total_due_now(self) -> int: ...
    @property
    def next_renewal_total(self) -> int: ...
    @property
    def renews_at(self) -> datetime: ...
    @property
    def scheduled_for(self) -> datetime | None: ...
    @property
    def scheduled_change(self) -> ScheduledChangeLike | None: ...


def scheduled_change_words(plan_name: str, interval: str, seats: int, effective_at: datetime) -> str:
    """`Changes to Starter (monthly) × 8 seats on 17 Aug 2027`."""
    return f"Changes to {terms_words(plan_name, interval, seats)} on {format_date(effective_at)}"


def nothing_to_pay_words(scheduled_for: datetime) -> str:
    """What a change that only waits for the period end (a downgrade, fewer seats) costs today."""
    return f"Scheduled for {format_date(scheduled_for)} — nothing to pay now"


def _two_columns() -> Table:
    """What, and its amount flush right: every table of a quote lines up on the same edge."""
    table = Table(box=None, pad_edge=False, show_header=False, expand=True)
    table.add_column("What", ratio=1, overflow="fold")
    table.add_column("Amount", justify="right", no_wrap=True)
    return table


def lines_table(quote: QuoteLike) -> Table:
    """Every line charged now; one for unused time on the old terms reads as a credit."""
    table = _two_columns()
    for line in quote.lines:
        is_credit = line.amount < 0
        what = Text(line.description)
        if is_credit:
            what.append(" (credit)", style="green")
        if line.quantity > 1:
            each = format_money(line.unit_amount, quote.currency)
            what.append(f"\n{format_count(line.quantity)} × {each}", style="dim")
        table.add_row(what, Text(format_money(line.amount, quote.currency), style="green" if is_credit else ""))
    return table


def totals_table(quote: QuoteLike) -> Table:
    """Subtotal and VAT (when something is charged), the total due now, the next renewal and its date."""
    money = lambda cents: format_money(cents, quote.currency)  # noqa: E731 — one currency per quote
    table = _two_columns()
    if quote.lines:
        table.add_row(Text("Subtotal", style="dim"), money(quote.subtotal))
        vat = vat_label(quote.tax.rate_percent, quote.tax.reverse_charge)
        table.add_row(Text(vat, style="dim"), money(quote.tax.amount))
    table.add_row(Text("Total due now", style="bold"), Text(money(quote.total_due_now), style="bold"))
    table.add_row(Text(f"Next renewal on {format_date(quote.renews_at)}", style="dim"), money(quote.next_renewal_total))
    return table


def scheduled_words(quote: QuoteLike, plan_name: Callable[[str], str]) -> Text | None:
    """The part that waits for the period end, and that nothing is due before it; None if none waits."""
    change = quote.scheduled_change
    words = Text()
    if change is not None:
        words.append(
            scheduled_change_words(plan_name(change.plan), change.interval, change.seats, change.effective_at),
            style="bold",
        )
    if quote.scheduled_for is not None and quote.total_due_now == 0:
        words.append(("\n" if words else "") + nothing_to_pay_words(quote.scheduled_for))
    return words or None


class QuoteView(Static):
    """The whole quote, or a line saying why there is none."""

    DEFAULT_CSS = """
    QuoteView { height: auto; }
    """

    def show_quote(self, quote: QuoteLike, plan_name: Callable[[str], str]) -> None:
        parts: list[RenderableType] = [lines_table(quote)] if quote.lines else []
        parts.append(totals_table(quote))
        if (words := scheduled_words(quote, plan_name)) is not None:
            parts.append(words)
        self.update(Group(*parts))

    def show_message(self, message: str) -> None:
        self.update(Text(message, style="dim"))
