"""`ConfirmScreen`: ask before doing something that cannot simply be undone.

    if await self.app.push_screen_wait(ConfirmScreen("Remove Bastien?", "…", "Remove", danger=True)):
        ...

Dismisses with True for the confirm button (`#confirm`), False for Cancel (`#cancel`), escape
or a click outside the dialog. Focus starts on Cancel when `danger` is set, so a reflexive
enter never destroys anything.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        #confirm-dialog {
            width: 60;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            border-title-color: $text-primary;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        &.-danger #confirm-dialog { border: round $error; border-title-color: $error; }
        #confirm-message { margin: 1 0; }
        #confirm-buttons { height: auto; align-horizontal: right; }
        #confirm-buttons Button { margin-left: 2; min-width: 10; }
    }
    """

    def __init__(self, title: str, message: str, confirm_label: str = "Confirm", danger: bool = False) -> None:
        super().__init__(classes="-danger" if danger else "")
        self.dialog_title = title
        self.message = message
        self.confirm_label = confirm_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.message, id="confirm-message", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="cancel", compact=True, action="screen.cancel")
                yield Button(
                    self.confirm_label,
                    id="confirm",
                    compact=True,
                    variant="error" if self.danger else "primary",
                    action="screen.confirm",
                )

    def on_mount(self) -> None:
        self.query_one("#confirm-dialog").border_title = self.dialog_title
        self.query_one("#cancel" if self.danger else "#confirm", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_click(self, event: events.Click) -> None:
        # A click on the dimmed page around the dialog is a cancel, as in most dialogs.
        if event.widget is self:
            self.dismiss(False)
