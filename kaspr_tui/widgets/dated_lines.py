"""`DatedLines`: a list of dated entries (an activity feed), each shown whole.

The date sits in a column of its own and a description too long for its row wraps under itself,
not under the date, at whatever width the widget has: nothing is cut with "…".
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

DATE_COLUMN = 12
"""`22 Sep 2026` and a space."""


class DatedLines(Widget):
    DEFAULT_CSS = """
    DatedLines {
        height: auto;
        .dated-lines--date { color: $text-muted; }
        .dated-lines--empty { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES = {"dated-lines--date", "dated-lines--empty"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: tuple[tuple[str, str], ...] = ()
        self._empty = ""

    def show(self, entries: Sequence[tuple[str, str]], *, empty: str) -> None:
        """Show `(date, description)` entries in order; `empty` when there are none."""
        self._entries = tuple(entries)
        self._empty = empty
        self.refresh(layout=True)

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_region.width or self.size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def _lines(self, width: int) -> list[Content]:
        if not self._entries:
            return Content.styled(self._empty, self.get_visual_style("dated-lines--empty")).wrap(max(width, 1))
        date_style = self.get_visual_style("dated-lines--date")
        indent = Content(" " * DATE_COLUMN)
        lines: list[Content] = []
        for date, description in self._entries:
            first, *rest = Content(description).wrap(max(width - DATE_COLUMN, 1))
            lines.append(Content.assemble((date.ljust(DATE_COLUMN), date_style), first))
            lines.extend(indent + line for line in rest)
        return lines
