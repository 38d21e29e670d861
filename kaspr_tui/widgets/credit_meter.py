"""A meter for one credit type: how much of this period's credits is used, what is left, when it resets.

It takes numbers and renders them; it never fetches anything. The bar is drawn with two different
characters (█ used, ░ left) so it still reads without colour (NO_COLOR, monochrome terminals).
"""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from kaspr_tui.billing.formatting import format_count, format_date
from kaspr_tui.billing.order_words import period_credits

USED_CELL = "█"
LEFT_CELL = "░"
TWO_LINE_MIN_WIDTH = 56
"""Below this width each fact gets a line of its own, so the bar never shrinks to a few cells."""


def filled_cells(used: int, total: int, width: int) -> int:
    """How many of `width` cells show as used.

    Any use shows at least one cell and anything left keeps at least one cell empty, so the bar
    never claims "nothing used" or "all gone" when that is not true.
    """
    if total <= 0 or width <= 0:
        return 0
    cells = round(width * used / total)
    if used > 0:
        cells = max(cells, 1)
    if used < total:
        cells = min(cells, width - 1)
    return max(0, min(cells, width))


class CreditMeter(Widget):
    """`Phone credits   766 left of 2,000` over `███░░░  1,234 used · resets 1 Dec 2026`."""

    COMPONENT_CLASSES = {"credit-meter--label", "credit-meter--used", "credit-meter--left", "credit-meter--muted"}

    DEFAULT_CSS = """
    CreditMeter {
        height: auto;
        width: 1fr;
        & > .credit-meter--label { text-style: bold; }
        & > .credit-meter--used { color: $accent; }
        & > .credit-meter--left { color: $foreground 30%; }
        & > .credit-meter--muted { color: $text-muted; }
        &.-exhausted > .credit-meter--used { color: $error; }
    }
    """

    used: reactive[int] = reactive(0, layout=True)
    remaining: reactive[int] = reactive(0, layout=True)
    resets_on: reactive[date | None] = reactive(None, layout=True)

    def __init__(
        self,
        label: str,
        *,
        used: int = 0,
        remaining: int = 0,
        resets_on: date | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.label = label
        self.set_reactive(CreditMeter.used, used)
        self.set_reactive(CreditMeter.remaining, remaining)
        self.set_reactive(CreditMeter.resets_on, resets_on)

    def show_balance(self, *, used: int, remaining: int, resets_on: date | None) -> None:
        self.used = used
        self.remaining = remaining
        self.resets_on = resets_on

    @property
    def total(self) -> int:
        return period_credits(self.used, self.remaining)

    def watch_remaining(self, remaining: int) -> None:
        self.set_class(remaining <= 0 and self.total > 0, "-exhausted")

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_region.width or self.size.width))

    def _lines(self, width: int) -> list[Content]:
        label = Content.styled(self.label, self.get_visual_style("credit-meter--label"))
        left = Content.assemble((format_count(self.remaining), "bold"), f" left of {format_count(self.total)}")
        used = f"{format_count(self.used)} used"
        resets = "" if self.resets_on is None else f"resets {format_date(self.resets_on)}"
        muted = self.get_visual_style("credit-meter--muted")
        if width >= TWO_LINE_MIN_WIDTH:
            usage = Content.styled(" · ".join(part for part in (used, resets) if part), muted)
            bar = self._bar(max(1, width - usage.cell_length - 2))
            return [self._spread(label, left, width), Content.assemble(bar, "  ", usage)]
        # Narrow: one fact per line, so nothing has to wrap.
        lines = [label, self._bar(width), left, Content.styled(used, muted)]
        if resets:
            lines.append(Content.styled(resets, muted))
        return lines

    def _bar(self, width: int) -> Content:
        used = filled_cells(self.used, self.total, width)
        return Content.assemble(
            (USED_CELL * used, self.get_visual_style("credit-meter--used")),
            (LEFT_CELL * (width - used), self.get_visual_style("credit-meter--left")),
        )

    @staticmethod
    def _spread(start: Content, end: Content, width: int) -> Content:
        """`start` on the left and `end` on the right of one line of `width` cells."""
        gap = max(1, width - start.cell_length - end.cell_length)
        return Content.assemble(start, " " * gap, end)
