"""TUI fixtures on top of the shared ones (tests/conftest.py: `server_settings`, `live_server`, `admin`).

A server can be started again on the port it had, for the tests where the server comes back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from kaspr_tui.server import testing
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import LiveServer
from tests.helpers.app import ServeOn


@pytest.fixture
def serve_on(server_settings: ServerSettings, monkeypatch: pytest.MonkeyPatch) -> ServeOn:
    """`with serve_on(port, fail_rate=1.0):` the bundled server on that port, over this test's database.

    LiveServer picks a free port; the tests where the server goes away and comes back need the
    same address twice, so its socket is bound to the port asked for instead.
    """
    bind = testing.bind_socket

    @contextmanager
    def serve(port: int, **faults: float) -> Iterator[LiveServer]:
        with monkeypatch.context() as patch:
            patch.setattr(testing, "bind_socket", lambda host, _port: bind(host, port))
            with LiveServer(replace(server_settings, **faults)) as server:
                yield server

    return serve
