"""Snapshots reuse the TUI and invoices tests' helpers (app factory, waiting until loaded); the server
fixture is the shared one in tests/conftest.py (seeded, frozen clock)."""

from __future__ import annotations

import sys
from pathlib import Path

for helpers in ("tui", "invoices"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / helpers))
