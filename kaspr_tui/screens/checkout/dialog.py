"""What every checkout step after the form looks like: one bordered box in the middle of the
screen, its buttons at its bottom right. A step sizes its own box (`#review-dialog { width: 96; }`)."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

DialogResult = TypeVar("DialogResult")


class CheckoutDialog(ModalScreen[DialogResult]):
    """A modal whose box has the class `dialog` and whose button row has the class `dialog-buttons`."""

    DEFAULT_CSS = """
    CheckoutDialog {
        align: center middle;
        .dialog {
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $accent;
            border-title-color: $text-accent;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        .dialog-buttons { height: auto; align-horizontal: right; margin-top: 1; }
        .dialog-buttons Button { margin-left: 2; }
    }
    """
