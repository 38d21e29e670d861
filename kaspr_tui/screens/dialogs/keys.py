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
from textual.widgets import Button, Static

from kaspr_tui.screens.dialogs.base import Dialog

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


def keys_from_bindings(bindings: Iterable[ActiveBinding], key_display: Callable[[Binding], str]) -> list[KeyHelp]:
    """One line per action shown in the footer, its keys joined: `? / f1  Keys`."""
    grouped: dict[tuple[int, str], list[str]] = {}
    descriptions: dict[tuple[int, str], str] = {}
    for active in bindings:
        binding = active.binding
        if not binding.show or not binding.description:
            continue
        group = (id(active.node), binding.action)
        grouped.setdefault(group, []).append(key_display(binding))
        descriptions[group] = binding.description
    return [KeyHelp(" / ".join(dict.fromkeys(keys)), descriptions[group]) for group, keys in grouped.items()]


def keys_table(rows: Iterable[tuple[str, str]]) -> Content:
    return Content("\n").join(
        Content.assemble((keys.ljust(KEY_COLUMN), "bold $text-accent"), text) for keys, text in rows
    )


class KeysScreen(Dialog[None]):
    BINDINGS = [
        Binding("escape,question_mark,f1", "dismiss", "Close", key_display="esc", id="keys.close"),
    ]

    def __init__(self, page_keys: list[KeyHelp]) -> None:
        super().__init__()
        self.page_keys = page_keys

    def compose(self) -> ComposeResult:
        with Vertical(id="keys-dialog", classes="dialog"):
            with VerticalScroll(id="keys-scroll"):
                yield Static("Keys of this page", classes="keys-heading")
                yield Static(keys_table((key.keys, key.description) for key in self.page_keys), id="page-keys")
                yield Static("Everywhere", classes="keys-heading")
                yield Static(keys_table(GENERAL_KEYS), id="general-keys")
                mouse = "The mouse works too: click tabs, buttons and the keys in the footer."
                yield Static(mouse, classes="keys-note")
            yield Button("Close", id="keys-close", compact=True, action="screen.dismiss")

    def on_mount(self) -> None:
        self.query_one("#keys-dialog").border_title = "Keys"
