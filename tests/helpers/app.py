"""The app as the command line builds it, on a server the test chose."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

import httpx

from kaspr_tui.api import BillingClient
from kaspr_tui.app import KasprApp
from kaspr_tui.config import Settings
from kaspr_tui.server.testing import LiveServer
from tests.helpers.http import LoopbackTransport, RecordingTransport

ServeOn = Callable[..., AbstractContextManager[LiveServer]]
"""`with serve_on(port, **faults):` the bundled server on a given port (see tests/tui/conftest.py)."""

FAST_CLIENT = {"max_retries": 0, "timeout": 5.0}
"""No retries: a test of a failure should fail at once, not after the client's backoff."""


def settings_for(url: str, key: str | None, *, warnings: tuple[str, ...] = ()) -> Settings:
    return Settings(api_url=url, api_key=key, config_path=Path("/nonexistent/kaspr-tui.toml"), warnings=warnings)


def app_for(url: str, key: str, **client_options: float) -> KasprApp:
    """The app as `kaspr-tui --api-url URL --token KEY` builds it, with a client we can tune.

    Animations are off so a screenshot or a wait never catches a half-drawn frame.
    """
    return app_over(url, key, None, **{**FAST_CLIENT, **client_options})


def app_over(url: str, key: str, transport: httpx.AsyncBaseTransport | None, **client_options: object) -> KasprApp:
    """The app as the CLI builds it, its client's HTTP going through `transport` (by default plain
    loopback HTTP); animations off."""
    client = BillingClient(url, key, transport=transport or LoopbackTransport(), **client_options)  # type: ignore[arg-type]
    app = KasprApp(settings_for(url, key), client=client)
    app.animation_level = "none"
    return app


def recording_app(url: str, key: str) -> tuple[KasprApp, RecordingTransport]:
    """The test app, with every quote request it sends recorded."""
    transport = RecordingTransport()
    return app_over(url, key, transport, **FAST_CLIENT), transport


def app_saving_in(url: str, key: str, folder: Path) -> KasprApp:
    """The test app, with `download_dir` set to `folder` as the config file would."""
    app = app_for(url, key)
    assert app.settings is not None
    app.settings = replace(app.settings, download_dir=folder)
    return app
