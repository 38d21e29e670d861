"""What went wrong, what to do about it, and a Retry button (`#retry`), or Quit (`#quit`) for a
problem that trying again cannot fix (a refused key: the words say what can).

Two shapes: *blocking* (nothing loaded yet, the banner is the page) and *stale* (data from an
earlier load stays on screen, a compact notice on top says it is stale and why). It takes words
and posts `ProblemBanner.Retry`; whoever shows it decides what retrying means.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

from kaspr_tui.widgets.words import Words


class ProblemBanner(Vertical):
    DEFAULT_CSS = """
    ProblemBanner {
        display: none;
        height: auto;
        &.-blocking {
            display: block;
            width: 1fr;
            max-width: 76;
            margin: 1 2;
            padding: 0 1;
            border: round $error;
            border-title-color: $error;
            border-title-style: bold;
        }
        &.-stale {
            display: block;
            padding: 0 1;
            background: $warning-muted;
        }
        #problem-title { text-style: bold; }
        &.-stale #problem-title { display: none; }
        #problem-detail { width: 1fr; }
        #problem-row { height: auto; }
        &.-blocking #problem-row { layout: vertical; }
        &.-blocking Button { margin-top: 1; }
        &.-stale Button { margin-left: 1; }
        Button { min-width: 9; width: auto; }
    }
    """

    class Retry(Message):
        """The user asked to try again."""

    def compose(self) -> ComposeResult:
        yield Words(id="problem-title", markup=False)
        with Horizontal(id="problem-row"):
            yield Words(id="problem-detail")
            # Disabled while the banner is hidden: a screen's first focus (AUTO_FOCUS) does not look
            # at the ancestors' display, and put the keyboard on this unseen button.
            yield Button("Retry", id="retry", compact=True, tooltip="Try loading again (r)", disabled=True)
            yield Button(
                "Quit", id="quit", compact=True, action="app.quit", tooltip="Leave kaspr-tui (q)", disabled=True
            )

    def show_blocking(self, title: str, detail: str, *, can_retry: bool = True) -> None:
        """Nothing else to show: the problem fills the page."""
        self._show("-blocking", can_retry)
        self.border_title = "Problem"
        self.query_one("#problem-title", Words).update(title)
        offer = "Press r or Retry to try again." if can_retry else "Press q or Quit to leave."
        self.query_one("#problem-detail", Words).update(Content(f"{detail}\n\n{offer}"))

    def show_stale(self, last_updated: str, title: str, detail: str, *, can_retry: bool = True) -> None:
        """Older data stays visible below; say how old and why it could not be refreshed."""
        self._show("-stale", can_retry)
        self.border_title = None
        self.query_one("#problem-title", Words).update(title)
        notice = Content.assemble(("Stale", "bold"), f" — last updated {last_updated}; retrying failed: {detail}")
        self.query_one("#problem-detail", Words).update(notice)

    def _show(self, shape: str, can_retry: bool) -> None:
        self.set_classes(shape)
        for button_id, offered in (("#retry", can_retry), ("#quit", not can_retry)):
            button = self.query_one(button_id)
            button.display = offered
            button.disabled = not offered

    def clear(self) -> None:
        self.set_classes("")
        self.query_one("#retry").disabled = True
        self.query_one("#quit").disabled = True

    @property
    def showing(self) -> bool:
        return self.has_class("-blocking") or self.has_class("-stale")

    @on(Button.Pressed, "#retry")
    def _retry(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Retry())
