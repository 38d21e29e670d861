"""`ConfirmScreen`: ask before doing something that cannot simply be undone.

    if await self.app.push_screen_wait(ConfirmScreen("Remove Bastien?", "…", "Remove", danger=True)):
        ...

Dismisses with True for the confirm button (`#confirm`), False for the other (`#cancel`), escape
or a click outside the dialog. Focus always starts on `#cancel`, the button that changes nothing,
so a reflexive Enter never does anything; each button's label says what it does ("Keep the
change" beside "Cancel the change", never "Cancel" beside "Yes, cancel it"). `danger` tints the
dialog and its confirm button for what cannot be undone.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button

from kaspr_tui.screens.dialogs.base import BUTTON_ROW_KEYS, Dialog
from kaspr_tui.widgets.words import Words


class ConfirmScreen(Dialog[bool]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
        *BUTTON_ROW_KEYS,
    ]
    CLICK_OUTSIDE = "cancel"

    def __init__(
        self,
        title: str,
        message: str,
        confirm_label: str = "Confirm",
        danger: bool = False,
        *,
        cancel_label: str = "Cancel",
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.message = message
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog -error" if self.danger else "dialog"):
            yield Words(self.message, id="confirm-message", markup=False)
            with Horizontal(id="confirm-buttons", classes="dialog-buttons"):
                yield Button(self.cancel_label, id="cancel", compact=True, action="screen.cancel")
                yield Button(
                    self.confirm_label,
                    id="confirm",
                    compact=True,
                    variant="error" if self.danger else "primary",
                    action="screen.confirm",
                )

    def on_mount(self) -> None:
        self.query_one("#confirm-dialog").border_title = self.dialog_title
        self.query_one("#cancel", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
