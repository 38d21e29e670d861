"""Plan & Billing dialog tests reuse the TUI tests' helpers (app factory, settle, screen text) and
the checkout tests' `until`; the
server fixtures are the shared ones in tests/conftest.py (seeded Acme Corp, frozen clock, payments
settle at once)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "checkout"))
