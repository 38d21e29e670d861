"""`LiveServer`: the real app under uvicorn in a background thread, on a free loopback port.

    with LiveServer(ServerSettings(db_path=tmp_path / "billing.db", payment_delay=0)) as server:
        httpx.get(f"{server.url}/healthz")

For tests and benchmarks: the answers go through real HTTP, exactly as the TUI's would.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import uvicorn
from fastapi import FastAPI

from kaspr_tui.server.app import create_app
from kaspr_tui.server.context import ServerContext
from kaspr_tui.server.settings import ServerSettings

START_TIMEOUT_SECONDS = 10.0

FROZEN_NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
"""The instant test servers start at, so dates and amounts are the same on every machine."""

ADMIN_KEY = "kt_demo_admin"
MEMBER_KEY = "kt_demo_member"
SUPPORT_KEY = "kt_demo_support"
GLOBEX_KEY = "kt_demo_globex"


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket; port 0 picks a free one.

    Its protocol is set to TCP explicitly: only then does asyncio turn Nagle off on each
    connection, without which every keep-alive request waits ~40 ms for a delayed ACK.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


class LiveServer:
    def __init__(self, settings: ServerSettings, host: str = "127.0.0.1") -> None:
        self.settings = settings
        self.host = host
        self.app: FastAPI | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def port(self) -> int:
        assert self._socket is not None, "the server is not running"
        return self._socket.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def context(self) -> ServerContext:
        assert self.app is not None, "the server is not running"
        return self.app.state.context

    def __enter__(self) -> Self:
        self.app = create_app(self.settings)
        self._socket = bind_socket(self.host, 0)
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="kaspr-live-server", daemon=True
        )
        self._thread.start()
        while not self._server.started and self._thread.is_alive():
            time.sleep(0.01)
        if not self._server.started:
            raise RuntimeError("the billing server did not start")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        assert self._server is not None and self._thread is not None and self._socket is not None
        self._server.should_exit = True
        self._thread.join(START_TIMEOUT_SECONDS)
        self._socket.close()
        self.app = None
