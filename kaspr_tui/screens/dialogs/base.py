"""`Dialog`: what every modal of the app looks like, in one place.

One bordered box in the middle of the screen (class `dialog`), titled in its border, as wide as
the terminal allows up to the width the dialog asks for; its buttons in a row at the bottom right
(class `dialog-buttons`); the look is in `kaspr.tcss`, where a dialog's own rules keep only its
width and what is particular to it (`InviteMemberScreen { #invite-dialog { width: 64; } }`):

    class InviteMemberScreen(Dialog[InviteResult]):
        def compose(self) -> ComposeResult:
            with Vertical(id="invite-dialog", classes="dialog"):
                ...
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Cancel", compact=True)

Its own footer, over the page's, shows the dialog's keys: the page's and the app's do not work
while it is open (Textual stops the bindings at a modal screen).

The box is tinted by what the dialog says: `-success` (done), `-warning` (about to move
something between accounts), `-error` (failed, or about to destroy something).

A dialog that is only buttons may add `BUTTON_ROW_KEYS` to its bindings (left and right move
between them) and name in `CLICK_OUTSIDE` the action a click on the dimmed page around it runs.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen

from kaspr_tui.screens.failures import ReportsFailedWorkers
from kaspr_tui.widgets.footer import KeysFooter

DialogResult = TypeVar("DialogResult")

BUTTON_ROW_KEYS = [
    Binding("left", "app.focus_previous", "Previous button", show=False, id="dialog.previous_button"),
    Binding("right", "app.focus_next", "Next button", show=False, id="dialog.next_button"),
]
"""Left and right move between the buttons of a dialog that has nothing else to focus."""


class Dialog(ReportsFailedWorkers, ModalScreen[DialogResult]):

    CLICK_OUTSIDE: ClassVar[str] = ""
    """The action a click on the dimmed page around the dialog runs, as most dialogs close ("cancel"); "" for none."""

    def _on_mount(self, event: events.Mount) -> None:
        # Mounted here rather than composed, so that no dialog's compose has to remember it.
        self.mount(KeysFooter(compact=True))

    async def on_click(self, event: events.Click) -> None:
        if self.CLICK_OUTSIDE and event.widget is self:
            await self.run_action(self.CLICK_OUTSIDE)
