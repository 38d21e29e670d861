"""Security tests drive the TUI with the helpers of the TUI, checkout, upgrade, Plan & Billing and
reliability tests; the server fixtures are the shared ones in tests/conftest.py."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
for helpers in ("tui", "checkout", "upgrade", "plan_billing", "reliability"):
    sys.path.insert(0, str(TESTS / helpers))
