"""Every picture is the same on every machine: the clock is frozen and the data seeded (tests/conftest.py),
and a focused input's cursor holds still."""

from __future__ import annotations

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A focused input's cursor stays as the last key left it (shown) instead of blinking: a loaded
    machine takes the picture more than the half second after which it would have blinked off."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
