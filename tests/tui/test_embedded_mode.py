"""With nothing configured the app runs the bundled server itself, and never leaves it behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.binding import Binding

from kaspr_tui.app import KasprApp
from kaspr_tui.config import DEMO_ADMIN_KEY, Settings
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle


class Boom(Exception):
    pass


class CrashingApp(KasprApp):
    """The app with a key that hits a bug, to see what happens to the server on a crash."""

    BINDINGS = [Binding("x", "crash", "Crash")]

    def action_crash(self) -> None:
        raise Boom("a bug")


def process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


@pytest.fixture
def embedded_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The server keeps its database and log in the user's folders: point those at the test's.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return Settings(api_url=None, api_key=DEMO_ADMIN_KEY, config_path=tmp_path / "config.toml")


async def test_embedded_mode_starts_the_bundled_server_shows_acme_and_stops_it_on_quit(
    embedded_settings: Settings,
) -> None:
    app = KasprApp(embedded_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Starting the bundled billing server" in screen_text(app)  # the first frame waits for nothing
        await settle(pilot)
        assert "Business · annual" in screen_text(app)
        server = app.embedded_server
        assert server is not None and server.pid is not None
        pid = server.pid
        await pilot.press("q")
    assert process_gone(pid)


async def test_the_bundled_server_is_stopped_even_when_the_app_crashes(embedded_settings: Settings) -> None:
    app = CrashingApp(embedded_settings)
    with pytest.raises(Boom):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            pid = app.embedded_server.pid
            await pilot.press("x")
            await pilot.pause()
    assert process_gone(pid)
