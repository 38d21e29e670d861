"""Below the smallest terminal the app is laid out for, a note to make it larger instead of a
broken layout; it goes away by itself once the terminal is large enough again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen

from kaspr_tui.widgets.words import Words

MIN_WIDTH, MIN_HEIGHT = 60, 20
"""The smallest terminal every page and dialog is laid out for (80×24 is the size tested)."""


def too_small_words(width: int, height: int) -> str:
    return (
        f"Make the terminal larger: kaspr-tui needs at least {MIN_WIDTH}×{MIN_HEIGHT} "
        f"and this one is {width}×{height}. Everything is kept as it was; q quits."
    )


class TooSmallScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen #too-small { width: 100%; height: auto; padding: 0 1; text-align: center; }
    """

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self._words = too_small_words(width, height)

    def compose(self) -> ComposeResult:
        yield Words(self._words, id="too-small", markup=False)

    def show_size(self, width: int, height: int) -> None:
        self.query_one("#too-small", Words).update(too_small_words(width, height))
