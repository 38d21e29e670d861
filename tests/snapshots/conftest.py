"""Snapshot fixtures: the bundled server, seeded fresh per test with a frozen clock."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import LiveServer

# The TUI tests' helpers (app factory, waiting, keys, the frozen date) serve the snapshots too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))
from tui_helpers import FROZEN_NOW  # noqa: E402


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    settings = ServerSettings(db_path=tmp_path / "billing.db", payment_delay=0, frozen_now=FROZEN_NOW)
    with LiveServer(settings) as server:
        yield server
