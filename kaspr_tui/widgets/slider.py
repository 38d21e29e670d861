"""A slider for a quantity on a step grid: keys, typed numbers, mouse click and drag.

Three rows: the label and the value, the track, the bounds at its ends. The track is drawn
with distinct characters (━ filled, ● handle, ─ empty) and focus adds a bar at the left and a
reversed handle, so everything reads without colour (NO_COLOR, monochrome terminals).
It takes values and posts `Slider.Changed`; it never fetches anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.style import Style

from kaspr_tui.widgets._bounded import BoundedValue, Bounds

FILLED_CELL = "━"
EMPTY_CELL = "─"
HANDLE = "●"
ENTRY_HINT = "enter sets · esc cancels"
PAGE_STEPS = 10

TRACK_ROW = 1
"""The row of the track within the content: the one row a mouse press acts on."""
ROWS = 3


class Slider(BoundedValue, can_focus=True):
    """`Phone credits      2,500` over `━━━━━━●──────────` over `25         5,000`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step_by(-1)", "Less", show=False, id="slider.less"),
        Binding("right", "step_by(1)", "More", show=False, id="slider.more"),
        Binding(
            "shift+left,pagedown", f"step_by(-{PAGE_STEPS})", f"{PAGE_STEPS} steps less", show=False,
            id="slider.much_less",
        ),
        Binding(
            "shift+right,pageup", f"step_by({PAGE_STEPS})", f"{PAGE_STEPS} steps more", show=False,
            id="slider.much_more",
        ),
        Binding("home", "to_min", "Minimum", show=False, id="slider.minimum"),
        Binding("end", "to_max", "Maximum", show=False, id="slider.maximum"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "slider--label",
        "slider--value",
        "slider--entry",
        "slider--filled",
        "slider--empty",
        "slider--handle",
        "slider--bounds",
    }

    DEFAULT_CSS = """
    Slider {
        width: 1fr;
        min-width: 30;
        height: auto;
        border-left: blank;
        pointer: pointer;
        & > .slider--label { text-style: bold; }
        & > .slider--value { text-style: bold; }
        & > .slider--entry { text-style: bold reverse; }
        & > .slider--filled { color: $accent; }
        & > .slider--empty { color: $foreground 40%; }
        & > .slider--handle { color: $accent; text-style: bold; }
        & > .slider--bounds { color: $text-muted; }
        &:focus {
            border-left: outer $accent;
            background-tint: $foreground 5%;
            & > .slider--handle { text-style: bold reverse; }
        }
        &:disabled { opacity: 60%; }
    }
    """

    class Changed(BoundedValue.Changed):
        """The slider's value changed; `.value` is the new value, `.control` the slider."""

    def __init__(
        self,
        value: int,
        *,
        min: int,
        max: int,
        step: int,
        label: str = "",
        format_value: Callable[[int], str] = str,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            value, bounds=Bounds(min, max, step), name=name, id=id, classes=classes, disabled=disabled
        )
        self.label = label
        self.format_value = format_value
        self._dragging = False

    def set_bounds(self, min: int, max: int, step: int) -> None:
        """New bounds; the value is settled again within them (posting `Changed` if it moves)."""
        self._change_bounds(Bounds(min, max, step))

    # Keys

    def action_to_min(self) -> None:
        self._replace_with(self.min)

    def action_to_max(self) -> None:
        self._replace_with(self.max)

    def _replace_with(self, value: int) -> None:
        """Set `value` outright: a number being typed is dropped, as the user chose another way."""
        self.typed_entry = ""
        self.value = value

    # Mouse: a press on the track sets the value there, and holding it down drags the handle.

    def _set_from_column(self, column: int) -> None:
        self._replace_with(self._bounds.at_position(column, last_position=self.size.width - 1))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y != TRACK_ROW:
            return
        event.stop()
        self._dragging = True
        self.capture_mouse()
        self._set_from_column(offset.x)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self._set_from_column(event.get_content_offset_capture(self).x)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._set_from_column(event.get_content_offset_capture(self).x)
            self._dragging = False
            self.release_mouse()

    def on_mouse_release(self, event: events.MouseRelease) -> None:
        # The capture went elsewhere (another widget took it): the drag is over.
        self._dragging = False

    # Rendering

    def _style(self, component: str) -> Style:
        # Not get_visual_style: in Textual 8.2.8 it drops `reverse`, the focused handle's look.
        return Style.from_rich_style(self.get_component_rich_style(component))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return ROWS

    def render(self) -> Content:
        width = self.size.width
        return Content("\n").join([self._heading(width), self._track(width), self._bounds_row(width)])

    def _heading(self, width: int) -> Content:
        if self.typed_entry:
            value = Content.styled(self._entry_with_cursor(), self._style("slider--entry"))
        else:
            value = Content.styled(self.format_value(self.value), self._style("slider--value"))
        label_room = max(0, width - value.cell_length - 1)
        label = Content.styled(self.label, self._style("slider--label")).truncate(label_room, ellipsis=True)
        return _spread(width, label, value)

    def _track(self, width: int) -> Content:
        handle = self._bounds.position_of(self.value, last_position=width - 1)
        return Content.assemble(
            (FILLED_CELL * handle, self._style("slider--filled")),
            (HANDLE, self._style("slider--handle")),
            (EMPTY_CELL * (width - handle - 1), self._style("slider--empty")),
        )

    def _bounds_row(self, width: int) -> Content:
        style = self._style("slider--bounds")
        low = Content.styled(self.format_value(self.min), style)
        high = Content.styled(self.format_value(self.max), style)
        hint = Content.styled(ENTRY_HINT if self.typed_entry else "", style)
        if low.cell_length + hint.cell_length + high.cell_length + 2 > width:
            hint = Content("")
        return _spread(width, low, hint, high)


def _spread(width: int, *parts: Content) -> Content:
    """`parts` across one line of `width` cells: the first at the left, the last at the right,
    any between them centred in the space left over."""
    first, *middle, last = parts
    inner = Content.assemble(*middle) if middle else Content("")
    gap = width - first.cell_length - inner.cell_length - last.cell_length
    if gap < 1:
        return Content.assemble(first, " ", last).truncate(width)
    # Not Content.center: in Textual 8.2.8 it pads the right side too much.
    before = gap // 2
    return Content.assemble(first, " " * before, inner, " " * (gap - before), last)
