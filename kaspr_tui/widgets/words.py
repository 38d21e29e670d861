"""`Words`: the Static every page, dialog and widget of the app writes its words in."""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class Words(Static):
    """A Static that is drawn, and the screen laid out, again only when its words change.

    Textual's `Static.update` lays the whole screen out at every call, and the pages write every line
    again at each account state and the forms at every key, mostly with the words already there (half
    of the calls in the TUI tests). Only strings are compared: rich `Text` and Textual `Content` are
    equal whatever their styles (`Content.from_markup("[b]a[/b]") == Content("a")`), so those are
    always drawn again.
    """

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if isinstance(content, str) and isinstance(self.content, str) and content == self.content:
            return
        super().update(content, layout=layout)
