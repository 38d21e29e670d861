"""Every picture is the same on every machine: the clock is frozen and the data seeded (tests/conftest.py),
and a focused input's cursor holds still, a pressed button does not flash."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A focused input's cursor stays as the last key left it (shown) instead of blinking: a loaded
    machine takes the picture more than the half second after which it would have blinked off."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture(autouse=True)
def no_press_flash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pressed button is not drawn in its 0.2 s press flash: whether the picture is taken within it
    depends on the machine's load (the button behind "Purchase add-ons" came out in either colour)."""
    monkeypatch.setattr(Button, "_start_active_affect", lambda self: None)
