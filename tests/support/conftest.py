"""Support tests reuse the TUI tests' helpers (app factory, screen text); the server fixtures are
the shared ones in tests/conftest.py (seeded, frozen clock): Acme Corp (business, annual, 10
licenses) with david@acme.example, Globex (starter, monthly, 3 licenses) with his new account
david.chen@globex.example."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))
