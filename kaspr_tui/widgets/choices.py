"""One choice out of a few, always all on screen: `◉ Monthly   ○ Annual`, or one row per option.

Unlike a Select, nothing folds away: every option (a plan with its price and what it includes)
stays readable while the user moves between them, which is what comparing plans needs. The
chosen option carries a filled radio mark (a character, so it reads without colour); the arrow
keys along the list move the choice (Up/Down one row per option, Left/Right on one line), and a
click picks the option under the mouse. A list of rows may have a heading row over its columns:
it is part of the widget, so it lines up with them and is on screen whenever they are. It takes
values and posts `Choices.Changed`; it never fetches anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.style import Style
from textual.widget import Widget

CHOSEN_MARK = "◉ "
OTHER_MARK = "○ "
HORIZONTAL_GAP = "   "

Option = tuple[str, Content | str]
"""(value, label): the label may hold several aligned columns; it is shown as given."""


class Choices(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Previous", show=False, id="choices.previous"),
        Binding("down,j", "move(1)", "Next", show=False, id="choices.next"),
        # Only on one line: across a list of rows, Left/Right changing the choice surprised people.
        Binding("left,h", "move_across(-1)", "Previous", show=False, id="choices.left"),
        Binding("right,l", "move_across(1)", "Next", show=False, id="choices.right"),
        Binding("home", "move_to(0)", "First", show=False, id="choices.first"),
        Binding("end", "move_to(-1)", "Last", show=False, id="choices.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choices--chosen", "choices--heading"}

    DEFAULT_CSS = """
    Choices {
        width: 1fr;
        height: auto;
        border-left: blank;
        pointer: pointer;
        & > .choices--chosen { text-style: bold; }
        & > .choices--heading { color: $text-muted; }
        &:focus {
            border-left: outer $accent;
            background-tint: $foreground 5%;
            & > .choices--chosen { text-style: bold reverse; }
        }
        &:disabled { opacity: 60%; }
    }
    """

    value: reactive[str] = reactive("", init=False)
    """The chosen option's value; setting it to one that is not offered is refused."""

    class Changed(Message):
        """Another option was chosen (by the user or by code); `.value` is its value."""

        def __init__(self, choices: Choices, value: str) -> None:
            super().__init__()
            self._choices = choices
            self.value = value

        @property
        def control(self) -> Choices:
            return self._choices

    def __init__(
        self,
        options: Sequence[Option],
        value: str,
        *,
        horizontal: bool = False,
        heading: Content | str | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.horizontal = horizontal
        self.heading = None if horizontal else heading
        self._options: list[Option] = list(options)
        # No Changed for the option a widget starts with: nobody chose anything.
        self.set_reactive(Choices.value, self._validate_value(value))

    @property
    def values(self) -> list[str]:
        return [value for value, _ in self._options]

    def set_options(self, options: Sequence[Option]) -> None:
        """New labels (e.g. prices for another interval); the choice stays if it is still offered."""
        self._options = list(options)
        self.value = self.value
        self.refresh(layout=True)

    def _validate_value(self, value: str) -> str:
        values = self.values
        if value in values or not values:
            return value
        return self.value if self.value in values else values[0]

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def action_move(self, steps: int) -> None:
        values = self.values
        if values:
            index = values.index(self.value) if self.value in values else 0
            self.value = values[max(0, min(len(values) - 1, index + steps))]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False lets Left/Right go on to the container (a scroll) when the options are rows.
        return self.horizontal if action == "move_across" else True

    def action_move_across(self, steps: int) -> None:
        self.action_move(steps)

    def action_move_to(self, index: int) -> None:
        if self._options:
            self.value = self.values[index]

    def _labels(self) -> list[Content]:
        # Not get_visual_style: in Textual 8.2.8 it drops `reverse`, the focused choice's look.
        chosen_style = Style.from_rich_style(self.get_component_rich_style("choices--chosen"))
        labels = []
        for value, label in self._options:
            chosen = value == self.value
            line = Content.assemble(CHOSEN_MARK if chosen else OTHER_MARK, label)
            labels.append(line.stylize(chosen_style) if chosen else line)
        return labels

    def render(self) -> Content:
        if self.horizontal:
            return Content(HORIZONTAL_GAP).join(self._labels())
        lines = self._labels()
        if self.heading is not None:
            heading_style = Style.from_rich_style(self.get_component_rich_style("choices--heading"))
            # Indented by the marks' width, so each heading stands over its column.
            lines.insert(0, Content.assemble(" " * len(CHOSEN_MARK), self.heading).stylize(heading_style))
        return Content("\n").join(lines)

    @property
    def _heading_rows(self) -> int:
        return 0 if self.heading is None else 1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 if self.horizontal else self._heading_rows + len(self._options)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if not self.horizontal:
            row = offset.y - self._heading_rows
            if 0 <= row < len(self._options):
                self.value = self._options[row][0]
            return
        start = 0
        for (value, _), label in zip(self._options, self._labels(), strict=True):
            end = start + label.cell_length
            if start <= offset.x < end:
                self.value = value
                return
            start = end + len(HORIZONTAL_GAP)
