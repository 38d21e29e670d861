"""Invoices tests reuse the TUI tests' helpers (app factory, settle, screen text); the server
fixtures are the shared ones in tests/conftest.py (seeded, frozen clock): Acme Corp has 12 paid
invoices, ACME-2026-000001 to ACME-2026-000012, all issued in 2026; Globex (DE, valid VAT number)
is billed with the reverse charge."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    """The folder the app is told to save PDFs in (created by the app when it saves)."""
    return tmp_path / "downloads"
