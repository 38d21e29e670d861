"""`KeysFooter`: Textual's footer, showing each key whole or not at all.

Textual's footer lays its keys out left to right and docks the palette key on the right, over them:
on a narrow terminal the keys run under it, so a description is cut ("r Re▏^p palette") and the
key running past the palette's end shows its last letter in the footer's last column. This one
shows the keys that fit whole left of the palette key, in their order, and hides the rest (the
Keys screen and the palette still list them), again on every resize and every change of bindings.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the footer's own key widget: Textual exports it nowhere else


class KeysFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        self._fit(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        keys = list(self.query(FooterKey))
        room = width - sum(_width(key) for key in keys if key.has_class("-command-palette"))
        used = 0
        for key in keys:
            if key.has_class("-command-palette"):
                continue
            used += _width(key)
            # The last key's right margin may run under the palette key's border.
            key.display = used - key.styles.margin.right <= room


def _width(key: FooterKey) -> int:
    """The cells `key` takes in the footer's row: its words, padding, border and margins."""
    return key.render().cell_len + key.styles.gutter.width + key.styles.margin.width
