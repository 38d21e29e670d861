"""Upgrade pane tests reuse the TUI and checkout tests' helpers (settings, settle, screen text, until); the server
fixtures are the shared ones in tests/conftest.py (seeded, frozen clock, payments settle at once)."""

from __future__ import annotations

import sys
from pathlib import Path

for helpers in ("tui", "checkout"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / helpers))
