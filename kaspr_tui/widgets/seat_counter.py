"""A counter for a whole number of seats: − and + (keys or buttons), or a typed number.

`[ − ]  12  [ + ]`, and under it, once the user pushes against a bound, why the bound is there
("Acme Corp has 7 members …: remove members first to go lower."). The reason goes away when the
value moves off that bound. It takes values and posts messages; it never fetches anything.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message

from kaspr_tui.widgets._bounded import Bound, BoundedValue, Bounds
from kaspr_tui.widgets.words import Words


class StepButton(Words):
    """`[ − ]` or `[ + ]` inside a `SeatCounter`. Never focused itself: a click focuses the counter."""

    DEFAULT_CSS = """
    StepButton {
        width: auto;
        text-style: bold;
        pointer: pointer;
        &:hover { text-style: bold reverse; }
    }
    """

    class Pressed(Message):
        """The button was clicked; `.steps` is how far it moves the counter."""

        def __init__(self, steps: int) -> None:
            super().__init__()
            self.steps = steps

    def __init__(self, symbol: str, steps: int, *, classes: str) -> None:
        super().__init__(f"[ {symbol} ]", markup=False, classes=classes)
        self.steps = steps

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Pressed(self.steps))


class SeatCounter(BoundedValue, can_focus=True):
    """The number of seats, between `min` and `max`, with the reason for each bound."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("minus,left,down", "step_by(-1)", "One less", show=False, id="counter.less"),
        Binding("plus,right,up", "step_by(1)", "One more", show=False, id="counter.more"),
    ]

    DEFAULT_CSS = """
    SeatCounter {
        width: 1fr;
        height: auto;
        border-left: blank;
        & > .stepper { width: auto; height: 1; }
        & .count {
            width: auto;
            margin: 0 1;
            text-wrap: nowrap;
            text-style: bold;
        }
        & > .reason {
            display: none;
            width: 1fr;
            color: $text-warning;
        }
        &.-reason-shown > .reason { display: block; }
        &:focus {
            border-left: outer $accent;
            background-tint: $foreground 5%;
            & .count { text-style: bold reverse; }
        }
        &:disabled { opacity: 60%; }
    }
    """

    class Changed(BoundedValue.Changed):
        """The counter's value changed; `.value` is the new value, `.control` the counter."""

    class BoundReached(Message):
        """The user asked to go past a bound; `.bound` is "min" or "max", `.reason` why it is there."""

        def __init__(self, counter: SeatCounter, bound: Bound, reason: str) -> None:
            super().__init__()
            self._counter = counter
            self.bound = bound
            self.reason = reason

        @property
        def control(self) -> SeatCounter:
            return self._counter

    def __init__(
        self,
        value: int,
        *,
        min: int,
        max: int,
        min_reason: str = "",
        max_reason: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(value, bounds=Bounds(min, max), name=name, id=id, classes=classes, disabled=disabled)
        self._reasons: dict[Bound, str] = {"min": min_reason, "max": max_reason}
        self._reason_shown_for: Bound | None = None
        self._count = Words(classes="count", markup=False)
        self._count_width = 0
        self._reason = Words(classes="reason", markup=False)
        self._show_count()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="stepper"):
            yield StepButton("−", -1, classes="decrement")
            yield self._count
            yield StepButton("+", 1, classes="increment")
        yield self._reason

    def set_bounds(self, min: int, max: int, *, min_reason: str | None = None, max_reason: str | None = None) -> None:
        """New bounds (and reasons, where given); the value is clamped into them."""
        if min_reason is not None:
            self._reasons["min"] = min_reason
        if max_reason is not None:
            self._reasons["max"] = max_reason
        self._change_bounds(Bounds(min, max))
        self._keep_reason_while_at_bound()
        self._show_count()

    def on_step_button_pressed(self, message: StepButton.Pressed) -> None:
        message.stop()
        self.action_step_by(message.steps)

    def _pressed_against(self, bound: Bound) -> None:
        self._show_reason(bound)
        self.post_message(self.BoundReached(self, bound, self._reasons[bound]))

    def _keep_reason_while_at_bound(self) -> None:
        """Hide the reason once the value has left its bound; otherwise keep its text current."""
        bound = self._reason_shown_for
        if bound is not None:
            self._show_reason(bound if self.value == (self.min if bound == "min" else self.max) else None)

    def _show_reason(self, bound: Bound | None) -> None:
        self._reason_shown_for = bound
        reason = "" if bound is None else self._reasons[bound]
        self._reason.update(reason)
        self.set_class(bool(reason), "-reason-shown")

    def watch_value(self) -> None:
        self._show_count()
        self._keep_reason_while_at_bound()

    def watch_typed_entry(self) -> None:
        self._show_count()

    def _show_count(self) -> None:
        shown = self._entry_with_cursor() if self.typed_entry else str(self.value)
        # As wide as the largest count, so the + button stays put; the spaces are part of the
        # text (not padding) so the focused, reversed count reads as a box.
        text = f" {shown:^{len(str(self.max))}} "
        # Re-layout (the whole screen) only when the width changes, not on every step.
        self._count.update(text, layout=len(text) != self._count_width)
        self._count_width = len(text)
