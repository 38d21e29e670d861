"""`FormField`: the labelled row every form input sits in, with a hint line and an error line."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label

from kaspr_tui.widgets.forms.field_input import FieldInput
from kaspr_tui.widgets.words import Words


class FormField(Vertical):
    """A label, its input (plus an optional widget beside it), a hint line and an error line."""

    DEFAULT_CSS = """
    FormField {
        height: auto;
        & > .field-row { height: auto; }
        & .field-label { width: 15; padding-right: 1; color: $text-muted; }
        & .field-row > Input { width: 1fr; background: $boost; }
        & .field-hint { padding-left: 15; color: $text-muted; }
        & .field-error { padding-left: 15; color: $text-error; display: none; }
        &.-invalid .field-error { display: block; }
        &.-invalid .field-label { color: $text-error; }
    }
    """

    def __init__(
        self, label: str, control: Widget, *, beside: Widget | None = None, hint: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.control = control
        self.beside = beside
        self.hint = hint
        self.error: str | None = None
        """The message shown under the input, if any."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label, classes="field-label")
            yield self.control
            if self.beside is not None:
                yield self.beside
        hint = Words(self.hint, classes="field-hint", markup=False)
        hint.display = bool(self.hint)
        yield hint
        yield Words("", classes="field-error", markup=False)

    def show_error(self, message: str | None) -> None:
        """Show `message` under the input, or clear the error with None."""
        self.error = message
        self.query_one(".field-error", Words).update(message or "")
        self.set_class(message is not None, "-invalid")

    def set_hint(self, hint: str) -> None:
        line = self.query_one(".field-hint", Words)
        line.update(hint)
        line.display = bool(hint)

    @on(FieldInput.Refused)
    def _refused(self, event: FieldInput.Refused) -> None:
        event.stop()
        self.show_error(event.input.refused_words())
