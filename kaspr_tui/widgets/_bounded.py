"""What the slider and the seat counter share: an int held on a step grid within bounds, typed entry.

Both widgets keep `.value` on the grid `min, min + step, …, max` and post their own `Changed`
when it really changes. Digits typed while one is focused build a pending entry: Enter or
leaving the widget commits it, a step key counts from it, Escape drops it. With no entry
pending, Enter and Escape are not theirs and go on to the screen, so a modal still closes on
Escape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

Bound = Literal["min", "max"]

MAX_TYPED_DIGITS = 9
"""More digits than any bound here needs; beyond it typing is ignored so the entry stays on one line."""

DIGITS = frozenset("0123456789")
ENTRY_CURSOR = "_"

ENTRY_ACTIONS = frozenset({"commit_entry", "cancel_entry", "erase_digit"})


@dataclass(frozen=True, slots=True)
class Bounds:
    """The values a widget may hold: `minimum` to `maximum` in steps of `step` from `minimum`."""

    minimum: int
    maximum: int
    step: int = 1

    def __post_init__(self) -> None:
        if self.step < 1:
            raise ValueError(f"step must be at least 1, not {self.step}")
        if self.minimum > self.maximum:
            raise ValueError(f"min {self.minimum} is above max {self.maximum}")
        if (self.maximum - self.minimum) % self.step:
            # Otherwise End could not reach max and a clamped value would fall off the grid.
            raise ValueError(f"max {self.maximum} is not min {self.minimum} plus whole steps of {self.step}")

    @property
    def steps(self) -> int:
        """How many steps lie between the bounds."""
        return (self.maximum - self.minimum) // self.step

    def settle(self, value: int) -> int:
        """`value` snapped to the nearest step (a tie goes up), then clamped to the bounds."""
        nearest_step = (2 * (value - self.minimum) + self.step) // (2 * self.step)
        return max(self.minimum, min(self.maximum, self.minimum + nearest_step * self.step))

    def beyond(self, value: int) -> Bound | None:
        """Which bound `value` lies past, if any."""
        if value < self.minimum:
            return "min"
        if value > self.maximum:
            return "max"
        return None

    def at_position(self, position: int, last_position: int) -> int:
        """The value at `position` along positions `0..last_position`, which span the bounds."""
        if last_position <= 0:
            return self.minimum
        position = max(0, min(last_position, position))
        nearest_step = (2 * position * self.steps + last_position) // (2 * last_position)
        return self.minimum + nearest_step * self.step

    def position_of(self, value: int, last_position: int) -> int:
        """Where `value` sits along positions `0..last_position`: the inverse of `at_position`."""
        if self.steps == 0:
            return 0
        step_index = (value - self.minimum) // self.step
        return (2 * step_index * last_position + self.steps) // (2 * self.steps)


class BoundedValue(Widget):
    """Base of `Slider` and `SeatCounter`: `.value`, bounds, typed entry, `Changed`.

    A subclass defines its own `Changed` (a subclass of `BoundedValue.Changed`, so handlers are
    named after it) and binds its step keys to `step_by(n)`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "commit_entry", "Set", show=False, id="number.set"),
        Binding("escape", "cancel_entry", "Cancel", show=False, id="number.cancel"),
        Binding("backspace", "erase_digit", "Erase", show=False, id="number.erase"),
    ]

    value: reactive[int] = reactive(0, init=False)
    """Always within the bounds and on the step grid; setting it posts `Changed` if it changes."""

    typed_entry: reactive[str] = reactive("", init=False)
    """Digits typed but not yet committed; empty when nothing is being typed."""

    class Changed(Message):
        """The value changed (by the user or by code)."""

        def __init__(self, widget: BoundedValue, value: int) -> None:
            super().__init__()
            self._widget = widget
            self.value = value

        @property
        def control(self) -> BoundedValue:
            return self._widget

    def __init__(
        self,
        value: int,
        *,
        bounds: Bounds,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._bounds = bounds
        # No Changed for the value a widget starts with: nobody changed anything.
        self.set_reactive(BoundedValue.value, bounds.settle(value))

    @property
    def min(self) -> int:
        return self._bounds.minimum

    @property
    def max(self) -> int:
        return self._bounds.maximum

    @property
    def step(self) -> int:
        return self._bounds.step

    def _validate_value(self, value: int) -> int:
        return self._bounds.settle(value)

    def _watch_value(self, value: int) -> None:
        self.post_message(self.Changed(self, value))

    def _change_bounds(self, bounds: Bounds) -> None:
        """New bounds; the value is settled again within them (posting `Changed` if it moves)."""
        self._bounds = bounds
        self.value = self.value
        self.refresh()

    def action_step_by(self, steps: int) -> None:
        """Move `steps` steps from the value, or from a pending typed entry (which is used up)."""
        typed = self._take_entry()
        origin = self.value if typed is None else self._bounds.settle(typed)
        self._ask_for(origin + steps * self._bounds.step)

    def _ask_for(self, wanted: int) -> None:
        """Set the value the user asked for; if it lies past a bound, tell `_pressed_against`."""
        self.value = wanted
        if (bound := self._bounds.beyond(wanted)) is not None:
            self._pressed_against(bound)

    def _pressed_against(self, bound: Bound) -> None:
        """The user asked for a value past `bound`; a subclass may say why it is there."""

    # Typed entry

    def on_key(self, event: events.Key) -> None:
        if event.character in DIGITS:
            event.stop()
            event.prevent_default()
            if len(self.typed_entry) < MAX_TYPED_DIGITS:
                self.typed_entry += event.character

    def _entry_with_cursor(self) -> str:
        """How the number being typed shows: `63_`."""
        return self.typed_entry + ENTRY_CURSOR

    def _take_entry(self) -> int | None:
        """The typed number, if any, and the entry is over."""
        if not self.typed_entry:
            return None
        typed = int(self.typed_entry)
        self.typed_entry = ""
        return typed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Without a pending entry, Enter, Escape and Backspace belong to whoever is around us.
        if action in ENTRY_ACTIONS:
            return bool(self.typed_entry)
        return True

    def action_commit_entry(self) -> None:
        typed = self._take_entry()
        if typed is not None:
            self._ask_for(typed)

    def action_cancel_entry(self) -> None:
        self.typed_entry = ""

    def action_erase_digit(self) -> None:
        self.typed_entry = self.typed_entry[:-1]

    def on_blur(self, event: events.Blur) -> None:
        # Tabbing on after typing a number means "that number", not "never mind" (that is Escape).
        self.action_commit_entry()
