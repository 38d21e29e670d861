"""`Note`: the line under a table or a form: progress, a result, or what went wrong; hidden when empty."""

from __future__ import annotations

from kaspr_tui.widgets.words import Words


class Note(Words):
    def say(self, text: str, *, error: bool = False) -> None:
        """Show `text` (marked `-error` when it says what went wrong), or hide the line when it is empty."""
        self.update(text)
        self.set_class(error, "-error")
        self.display = bool(text)
