"""The tests' own HTTP clients: a test must fail for what it tests, never for a connection race."""

from __future__ import annotations

import httpx

from kaspr_tui.server.testing import LiveServer


def test_the_fixture_clients_drop_an_idle_connection_before_the_server_closes_it(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    """A request sent on a keep-alive connection just as uvicorn closes it for idleness fails with
    "Server disconnected without sending a response": a loaded CI run failed a card test so, in the
    test's own `admin` client (it kept idle connections 5 s, as long as the server)."""
    pool = admin._transport._pool  # type: ignore[attr-defined]  # httpx keeps no public handle on it
    assert pool._keepalive_expiry < live_server._server.config.timeout_keep_alive  # type: ignore[union-attr]
