"""A checkbox and a radio button whose mark says their state, not only its colour.

Textual draws `▐X▌` ticked or not (and `▐●▌` chosen or not), telling them apart by colour alone:
under NO_COLOR, on a monochrome terminal or to a colour-blind eye a transfer ran without the
license while the agent believed it ticked. These draw the mark only when on: `▐X▌` / `▐ ▌`.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.style import Style
from textual.widgets import Checkbox, RadioButton
from textual.widgets._toggle_button import ToggleButton


class _MarkedWhenOn(ToggleButton):
    OFF_INNER: ClassVar[str] = " "

    @property
    def _button(self) -> Content:
        # As ToggleButton._button, with the inner mark blank while off.
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        return Content.assemble(
            (self.BUTTON_LEFT, side_style),
            (self.BUTTON_INNER if self.value else self.OFF_INNER, button_style),
            (self.BUTTON_RIGHT, side_style),
        )


class TickBox(_MarkedWhenOn, Checkbox):
    """A `Checkbox` drawn `▐X▌ label` when ticked and `▐ ▌ label` when not."""


class Radio(_MarkedWhenOn, RadioButton):
    """A `RadioButton` (for a `RadioSet`) drawn `▐●▌ label` when chosen and `▐ ▌ label` when not."""
