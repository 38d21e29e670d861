"""`KeysFooter`: Textual's footer, showing each key whole or not at all, rebuilt once per refresh.

- Whole keys: Textual's footer lays its keys out left to right and docks the palette key on the
  right, over them: on a narrow terminal the keys run under it, so a description is cut
  ("r Re▏^p palette") and the key running past the palette's end shows its last letter in the
  footer's last column. This one shows the keys that fit whole left of the palette key, in their
  order, and hides the rest (the Keys screen and the palette still list them), again on every
  resize and every change of bindings.
- One rebuild per refresh: Textual's `Footer` recomposes (removes and mounts again every key, each
  styled twice) once for each change of the bindings: each focus move, each page mounted, each
  `refresh_bindings`. Eight such changes come before the dashboard's first frame; the keys they
  show are the same, read after the refresh, so one recompose shows what eight did (textual is
  pinned: `_bindings_ready` is its own; tests/architecture/test_textual_hooks.py watches it).
- No rebuild when nothing shown changes: most changes of the bindings (a focus move between two
  fields, a refresh of the page) leave the same keys, and a rebuild lays the whole screen out again
  (in the test suite, footer rebuilds were most of the layouts asked for).
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the footer's own key widget: Textual exports it nowhere else

KeysShown = tuple[tuple[object, ...], ...]
"""What the footer shows of each key: enough to tell whether a rebuild would show anything new."""


class KeysFooter(Footer):
    _recompose_pending = False
    _keys_shown: KeysShown | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._recompose_pending = False
        if self.is_attached and self._keys_to_show() != self._keys_shown:  # its dialog may have closed since
            await self.recompose()

    async def recompose(self) -> None:
        self._keys_shown = self._keys_to_show()
        await super().recompose()
        self._fit(self.size.width)

    def _keys_to_show(self) -> KeysShown:
        """Each binding `compose` shows (the palette's too), as it shows it: keys, words, enabled, tooltips, group."""
        if not self._bindings_ready:
            return ()
        palette = self.app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        return tuple(
            (key, self.app.get_key_display(binding), binding.description, binding.action, enabled, tooltip,
             binding.tooltip, binding.group)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

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
