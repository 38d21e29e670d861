"""Workspace tests reuse the TUI tests' helpers (app factory, settle, screen text); the server
fixtures are the shared ones in tests/conftest.py (seeded, frozen clock): Acme Corp has 10
licenses, 7 members and 1 pending invitation, so 2 are free."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))
