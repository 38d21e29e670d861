"""Fixtures for the TUI tests: the bundled server, seeded fresh for each test, on loopback.

The clock is frozen, so every date the app shows is the same on every machine and every run.
A server can be started again on the port it had, for the tests where the server comes back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kaspr_tui.server import testing
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import LiveServer
from tui_helpers import FROZEN_NOW, ServeOn

@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "billing.db"


def server_settings(db_path: Path, **faults: float) -> ServerSettings:
    return ServerSettings(db_path=db_path, payment_delay=0, frozen_now=FROZEN_NOW, **faults)  # type: ignore[arg-type]


@pytest.fixture
def live_server(db_path: Path) -> Iterator[LiveServer]:
    with LiveServer(server_settings(db_path)) as server:
        yield server


@pytest.fixture
def serve_on(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> ServeOn:
    """`with serve_on(port, fail_rate=1.0):` the bundled server on that port, over this test's database.

    LiveServer picks a free port; the tests where the server goes away and comes back need the
    same address twice, so its socket is bound to the port asked for instead.
    """
    bind = testing.bind_socket

    @contextmanager
    def serve(port: int, **faults: float) -> Iterator[LiveServer]:
        with monkeypatch.context() as patch:
            patch.setattr(testing, "bind_socket", lambda host, _port: bind(host, port))
            with LiveServer(server_settings(db_path, **faults)) as server:
                yield server

    return serve
