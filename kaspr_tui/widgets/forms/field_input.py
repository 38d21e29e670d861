"""`FieldInput`: the text input every form of the app uses.

Textual's `Input` draws its value as it is, and Rich removes only BEL, BS, VT, FF and CR on the
way: a pasted `ESC ]0;…` or `ESC [2J` would reach the terminal and retitle the window or clear the
screen, a NUL would be written raw. `FieldInput` never holds such a character: whether typed,
pasted or set through `.value`, each C0 control, DEL and C1 control becomes its visible symbol from
Unicode's Control Pictures block (ESC shows as ␛, NUL as ␀), one character for one, so the cursor
and the length limit count as before. The validators refuse those symbols like the characters they
stand for (`kaspr_tui.billing.validation.has_control_characters`), so the field's error names the
problem the person can now see.
"""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from kaspr_tui.widgets.words import Words

C1_PICTURE = 0x2426
"""C1 controls (0x80–0x9F, 0x9B is an 8-bit CSI) have no symbol of their own: ␦ stands for any of them."""

CONTROL_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20)},  # ␀ … ␟
    0x7F: 0x2421,  # ␡
    **{code: C1_PICTURE for code in range(0x80, 0xA0)},
}
"""`str.translate` table: every control character a terminal may act on → the symbol shown instead."""


def visible_control_characters(text: str) -> str:
    """`text` with each control character replaced by its symbol: `"a\\x1b[2J"` → `"a␛[2J"`."""
    return text.translate(CONTROL_PICTURES)


class FieldInput(Input):
    """An `Input` that never holds a raw control character, and that says why it refused a paste or
    a key instead of only ringing the bell."""

    class Refused(Message):
        def __init__(self, input: FieldInput) -> None:
            super().__init__()
            self.input = input

    def validate_value(self, value: str) -> str:
        # Every way in (a key, a paste, `.value = …`) sets the value through here.
        return visible_control_characters(value)

    def refused_words(self) -> str:
        """Why a paste or a key was refused, the same words in every form."""
        return f"That does not fit here: at most {self.max_length} characters."

    def restricted(self) -> None:
        # Too long, or not of the input's type (a year's digits): refused whole, never cut.
        super().restricted()
        # A form without FormField names the line under a field `#<field>-error`.
        if self.id is not None and self.screen.query(f"#{self.id}-error"):
            show_field_error(self.screen, self.id, self.refused_words())
        self.post_message(self.Refused(self))


def show_field_error(root: Widget, field_id: str, message: str) -> None:
    """`message` under the field `#field_id` (in `#field_id-error`, the field marked invalid), or
    nothing when it is empty."""
    error = root.query_one(f"#{field_id}-error", Words)
    error.update(message)
    error.display = bool(message)
    root.query_one(f"#{field_id}").set_class(bool(message), "-invalid")
