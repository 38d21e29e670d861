"""Reliability tests drive the TUI with the helpers of the TUI, checkout, upgrade and Plan & Billing
tests; the server fixtures are the shared ones in tests/conftest.py (seeded, frozen clock), and
`faulty_server` is the one the fault tests share."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kaspr_tui.server.middleware import FaultInjectionMiddleware
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import LiveServer

TESTS = Path(__file__).resolve().parent.parent
for helpers in ("tui", "checkout", "upgrade", "workspace", "widgets", "plan_billing"):
    sys.path.insert(0, str(TESTS / helpers))

from reliability_helpers import SEED, fault_injection  # noqa: E402 — found through the path set above


@pytest.fixture
def faulty_server(server_settings: ServerSettings) -> Iterator[tuple[LiveServer, FaultInjectionMiddleware]]:
    """The bundled server with payments that take a moment (so the dialog polls), its faults seeded
    and off until a test turns them on (`faults_on`)."""
    with LiveServer(replace(server_settings, payment_delay=0.2)) as server:
        faults = fault_injection(server.app)
        faults.random.seed(SEED)
        yield server, faults
