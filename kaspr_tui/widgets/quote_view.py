"""A priced change, worded once for every screen that shows one: every line, subtotal, VAT, total
due now, the next renewal and when it bills, and the part that waits for the period end.

The Upgrade pane shows it whole (`QuoteView`); the order review lays out the same pieces
(`lines_table`, `totals_table`, `scheduled_words`) among its own. They take the quote's values
(anything shaped like the wire `Quote`, see `QuoteLike`) and a way to name plans; they never
fetch anything.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kaspr_tui.billing.formatting import format_count
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.order_words import TOTAL_DUE_NOW, QuoteLike, scheduled_lines, totals_rows
from kaspr_tui.widgets.words import Words


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
    """Subtotal and VAT (when something is charged), the total due now in bold, what comes after."""
    table = _two_columns()
    for label, amount in totals_rows(quote):
        style = "bold" if label == TOTAL_DUE_NOW else "dim"
        table.add_row(Text(label, style=style), Text(amount, style="bold" if style == "bold" else ""))
    return table


def scheduled_words(quote: QuoteLike, plan_name: Callable[[str], str]) -> Text | None:
    """The part that waits for the period end, and that nothing is due before it; None if none waits."""
    lines = scheduled_lines(quote, plan_name)
    if not lines:
        return None
    words = Text()
    if quote.scheduled_change is not None:
        words.append(lines.pop(0), style="bold")
    for line in lines:
        words.append(("\n" if words else "") + line)
    return words


class QuoteView(Words):
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
