"""The user's `[keymap]` (config.toml): binding id → keys, checked against every binding of the app.

Textual's `App.set_keymap` rebinds by id (as Posting does) and quietly ignores an id it does not
know; a clash only shows when its key is pressed. `keymap_problems` says both up front, in words
for the person who wrote the file: an id that no binding has, and a key the keymap gives to one
action where another of the same page (or of the app, which every page sees) already has it.

    [keymap]
    "app.billing" = "f2"            # Billing on F2 instead of b
    "support.lookup" = "ctrl+f"     # several keys: "ctrl+f,slash"
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

import kaspr_tui.screens
import kaspr_tui.widgets


def _classes_with_bindings(root: type[DOMNode]) -> Iterable[type[DOMNode]]:
    pending = [root]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("kaspr_tui.") and any("BINDINGS" in vars(base) for base in cls.__mro__):
            yield cls


def _bindings(cls: type[DOMNode]) -> list[Binding]:
    """A class's bindings with those it inherits (as Textual merges them), as Binding objects."""
    return [binding for bindings in cls._merge_bindings().key_to_bindings.values() for binding in bindings]


def binding_scopes(app: type[App[Any]]) -> dict[str, list[Binding]]:
    """Where a key means one thing: the app with each page or dialog (they see the app's keys),
    and each widget by itself. Every module of the screens and widgets is imported to find them."""
    for package in (kaspr_tui.screens, kaspr_tui.widgets):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    app_bindings = _bindings(app)
    scopes = {"the app": app_bindings}
    for cls in _classes_with_bindings(DOMNode):
        if cls is app:
            continue
        own = _bindings(cls)
        scopes[cls.__name__] = app_bindings + own if issubclass(cls, Screen) else own
    return scopes


def own_bindings(app: type[App[Any]]) -> dict[str, list[Binding]]:
    """The bindings the app's own classes define (not those they inherit from Textual), by class:
    what a keymap may rebind, and what README lists."""
    binding_scopes(app)  # imports every page, dialog and widget
    classes = [app, *(cls for cls in _classes_with_bindings(DOMNode) if cls is not app)]
    return {
        cls.__name__: _bindings(type("Own", (DOMNode,), {"BINDINGS": vars(cls)["BINDINGS"]}))
        for cls in classes
        if "BINDINGS" in vars(cls)
    }


def _keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [key.strip() for key in keys.split(",") if key.strip()]


def keymap_problems(keymap: Mapping[str, str], scopes: Mapping[str, list[Binding]]) -> list[str]:
    """What is wrong with `keymap` (already normalised, as `App._normalize_keymap` does), one
    sentence each; empty when it is fine."""
    known = {binding.id for bindings in scopes.values() for binding in bindings if binding.id}
    problems = [
        f"keymap: no binding has the id {binding_id!r}, so it was ignored (README lists the ids)"
        for binding_id in keymap
        if binding_id not in known
    ]
    clashes: set[tuple[str, tuple[str, ...]]] = set()
    for bindings in scopes.values():
        by_key: dict[str, set[str]] = {}
        rebound: set[str] = set()
        for binding in bindings:
            for key in _keys(binding, keymap):
                by_key.setdefault(key, set()).add(binding.id or binding.action)
                if binding.id in keymap:
                    rebound.add(key)
        for key in sorted(rebound):
            if len(by_key[key]) > 1:
                clashes.add((key, tuple(sorted(by_key[key]))))
    for key, ids in sorted(clashes):
        problems.append(f"keymap: {key} is given to {' and '.join(ids)}; only one of them runs — choose another key")
    return problems
