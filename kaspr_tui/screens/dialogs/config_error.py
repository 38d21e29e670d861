"""Shown instead of the app when the settings cannot be used: what is wrong and how to fix it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer

from kaspr_tui.widgets.words import Words


class ConfigErrorScreen(Screen[None]):
    BINDINGS = [Binding("q,escape", "app.quit", "Quit", id="config_error.quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="config-error"):
            yield Words(self.message, id="config-error-detail", markup=False)
            yield Words(
                "Fix the setting and start kaspr-tui again; `kaspr-tui --help` lists the options "
                "and `kaspr-tui login` stores a server address and key.",
                id="config-error-hint",
            )
            yield Button("Quit", id="quit", compact=True, action="app.quit")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#config-error").border_title = "kaspr-tui cannot start with these settings"
