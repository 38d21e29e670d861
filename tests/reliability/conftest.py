"""Reliability tests drive the TUI with the helpers of the TUI, checkout and upgrade tests; the
server fixtures are the shared ones in tests/conftest.py (seeded, frozen clock)."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
for helpers in ("tui", "checkout", "upgrade", "workspace", "widgets"):
    sys.path.insert(0, str(TESTS / helpers))
