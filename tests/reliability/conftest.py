"""`faulty_server`, the bundled server the fault tests share; the other server fixtures are the shared
ones in tests/conftest.py (seeded, frozen clock)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from kaspr_tui.server.middleware import FaultInjectionMiddleware
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import LiveServer
from tests.helpers.faults import SEED, fault_injection


@pytest.fixture
def faulty_server(server_settings: ServerSettings) -> Iterator[tuple[LiveServer, FaultInjectionMiddleware]]:
    """The bundled server with payments that take a moment (so the dialog polls), its faults seeded
    and off until a test turns them on (`faults_on`)."""
    with LiveServer(replace(server_settings, payment_delay=0.2)) as server:
        faults = fault_injection(server.app)
        faults.random.seed(SEED)
        yield server, faults
