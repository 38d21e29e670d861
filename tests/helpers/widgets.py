"""A bare app around one slider or seat counter that records what reaches it.

Shared by the widget tests, their snapshots and the typed-values reliability test.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, RadioSet, Static

from kaspr_tui.widgets.seat_counter import SeatCounter
from kaspr_tui.widgets.slider import Slider
from kaspr_tui.widgets.toggles import Radio, TickBox

ACME_MIN_REASON = "Acme Corp has 7 members and 1 pending invitation: remove members first to go lower."
STARTER_MAX_REASON = "The Starter plan allows at most 50 licenses."


def phone_credits(value: int = 2_500, **options) -> Slider:
    """The phone pack's slider: 25 to 5,000 in steps of 25."""
    return Slider(value, min=25, max=5_000, step=25, label="Phone credits", format_value=lambda n: f"{n:,}", **options)


def licenses(value: int = 8, **options) -> SeatCounter:
    """Acme's licenses: at least its 8 members and invitations, at most Starter's 50."""
    return SeatCounter(value, min=8, max=50, min_reason=ACME_MIN_REASON, max_reason=STARTER_MAX_REASON, **options)


class OneWidgetApp(App[None]):
    """`widget` on its own, focused, with a Next button after it to move focus to.

    Escape and Enter are bound here so a test can tell whether the widget let them through.
    """

    CSS = """
    Screen { padding: 1 2; }
    Button { margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape", "record_key('escape')"),
        Binding("enter", "record_key('enter')"),
    ]

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget
        self.messages: list[Message] = []
        self.keys_seen: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.widget
        yield Button("Next", id="next")

    def action_record_key(self, key: str) -> None:
        self.keys_seen.append(key)

    def on_slider_changed(self, message: Slider.Changed) -> None:
        self.messages.append(message)

    def on_seat_counter_changed(self, message: SeatCounter.Changed) -> None:
        self.messages.append(message)

    def on_seat_counter_bound_reached(self, message: SeatCounter.BoundReached) -> None:
        self.messages.append(message)

    def changes(self) -> list[int]:
        """The values of every `Changed` so far, in order."""
        changed = (Slider.Changed, SeatCounter.Changed)
        return [message.value for message in self.messages if isinstance(message, changed)]

    def bounds_reached(self) -> list[tuple[str, str]]:
        return [
            (message.bound, message.reason)
            for message in self.messages
            if isinstance(message, SeatCounter.BoundReached)
        ]


class SnapshotApp(App[None]):
    """`widget` under a heading, as a modal would hold it; focused only when asked."""

    AUTO_FOCUS = None

    CSS = """
    Screen { padding: 1 2; }
    #heading { margin-bottom: 1; text-style: bold; }
    """

    def __init__(self, heading: str, widget: Widget, *, focused: bool) -> None:
        super().__init__()
        self.heading = heading
        self.widget = widget
        self.focused_at_start = focused

    def compose(self) -> ComposeResult:
        yield Static(self.heading, id="heading")
        yield self.widget

    def on_mount(self) -> None:
        if self.focused_at_start:
            self.widget.focus()


class TogglesApp(App[None]):
    """The transfer dialog's checkbox ticked and not, and the invite dialog's roles, compact as
    the app draws them."""

    def compose(self) -> ComposeResult:
        yield TickBox("Move their license (one paid seat)", True, id="ticked", compact=True)
        yield TickBox("Move their license (one paid seat)", id="unticked", compact=True)
        with RadioSet(id="roles", compact=True):
            yield Radio("Member", value=True, id="member", compact=True)
            yield Radio("Admin", id="admin", compact=True)
