"""The keys screen (`?` or F1): every key the page underneath answers to, and how to move around.

The list is read from the live bindings when the screen opens, so it always matches the footer
and what the signed-in role may do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Button

from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.widgets.words import Words

KEY_COLUMN = 17

GENERAL_KEYS = (
    ("ctrl+p", "Command palette: every action by name"),
    ("tab / shift+tab", "Move between buttons, tabs and tables"),
    ("enter / space", "Press the focused button"),
    ("↑ ↓ pgup pgdn", "Scroll, or move in a table"),
    ("← →", "Switch tabs when the tab bar is focused"),
    ("escape", "Close a dialog, like this one"),
)


@dataclass(frozen=True)
class KeyHelp:
    keys: str
    description: str


MOVING_FOCUS = frozenset({"focus_next", "focus_previous", "app.focus_next", "app.focus_previous"})
"""Said once under "Everywhere" (Tab / Shift+Tab), not on every page."""


def keys_from_bindings(bindings: Iterable[ActiveBinding], key_display: Callable[[Binding], str]) -> list[KeyHelp]:
    """One line per action the page answers to, in the footer or an action of the app's own that
    is not (`x  Remove`), its keys joined: `? / f1  Keys`."""
    grouped: dict[tuple[int, str], list[str]] = {}
    descriptions: dict[tuple[int, str], str] = {}
    for active in bindings:
        binding = active.binding
        if not binding.description or binding.action in MOVING_FOCUS or not active.enabled:
            continue
        if not binding.show and binding.id is None:
            continue  # Textual's own hidden keys (scrolling, copy), said under "Everywhere"
        group = (id(active.node), binding.action)
        grouped.setdefault(group, []).append(key_display(binding))
        descriptions[group] = binding.description
    return [KeyHelp(" / ".join(dict.fromkeys(keys)), descriptions[group]) for group, keys in grouped.items()]


def control_keys(screen: DOMNode, key_display: Callable[[Binding], str]) -> list[tuple[str, list[KeyHelp]]]:
    """For each kind of control on `screen` with keys of its own (a slider, a counter, a plan list,
    a table), what its keys do while it has focus: `?` lists them even when another has focus."""
    kinds: dict[type[DOMNode], None] = {}
    for widget in screen.query("*"):
        # Not one hidden itself (a table's filter line until `/` opens it): it is not on the page.
        if type(widget).__module__.startswith("kaspr_tui.widgets") and widget.focusable and widget.display:
            kinds.setdefault(type(widget))
    sections = []
    for kind in kinds:
        grouped: dict[str, list[str]] = {}
        for bindings in kind._merge_bindings().key_to_bindings.values():
            for binding in bindings:
                if binding.description:
                    grouped.setdefault(binding.description, []).append(key_display(binding))
        if grouped:
            rows = [KeyHelp(" / ".join(dict.fromkeys(keys)), description) for description, keys in grouped.items()]
            sections.append((CONTROL_NAMES.get(kind.__name__, kind.__name__), rows))
    return sections


CONTROL_NAMES = {
    "Slider": "On a slider (credits)",
    "SeatCounter": "On a counter (users, licenses)",
    "Choices": "On a list of choices (plans, billing period)",
    "PagedTable": "In a table",
    "TableFilter": "In a table's filter (/)",
}


def keys_table(rows: Iterable[tuple[str, str]]) -> Content:
    return Content("\n").join(
        Content.assemble((keys.ljust(KEY_COLUMN), "bold $text-accent"), text) for keys, text in rows
    )


class KeysScreen(Dialog[None]):
    BINDINGS = [
        Binding("escape,question_mark,f1", "dismiss", "Close", key_display="esc", id="keys.close"),
    ]

    def __init__(self, page_keys: list[KeyHelp], controls: list[tuple[str, list[KeyHelp]]] | None = None) -> None:
        super().__init__()
        self.page_keys = page_keys
        self.controls = controls or []

    def compose(self) -> ComposeResult:
        with Vertical(id="keys-dialog", classes="dialog"):
            with VerticalScroll(id="keys-scroll"):
                yield Words("Keys of this page", classes="keys-heading")
                yield Words(keys_table((key.keys, key.description) for key in self.page_keys), id="page-keys")
                for heading, rows in self.controls:
                    yield Words(heading, classes="keys-heading")
                    yield Words(keys_table((key.keys, key.description) for key in rows), classes="control-keys")
                yield Words("Everywhere", classes="keys-heading")
                yield Words(keys_table(GENERAL_KEYS), id="general-keys")
                mouse = "The mouse works too: click tabs, buttons and the keys in the footer."
                yield Words(mouse, classes="keys-note")
            yield Button("Close", id="keys-close", compact=True, action="screen.dismiss")

    def on_mount(self) -> None:
        self.query_one("#keys-dialog").border_title = "Keys"
