"""The theme picked in the app is saved to config.toml, the file's comments and other settings kept,
0600; the theme the app starts with is not written back."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.screen import notifications, screen_text
from tests.helpers.waiting import settle

CONFIG = '# my settings\ndownload_dir = "~/invoices"  # where PDFs go\n\n[profiles.staging]\napi_url = "https://s.example"\n'


async def test_a_theme_picked_is_saved_keeping_the_comments(live_server: LiveServer, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    app = app_for(live_server.url, ADMIN_KEY)
    assert app.settings is not None
    app.settings = replace(app.settings, config_path=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert config.read_text(encoding="utf-8") == CONFIG  # starting changes nothing
        app.theme = "nord"  # as the palette's theme picker does
        await settle(pilot)
    text = config.read_text(encoding="utf-8")
    assert text.startswith('# my settings\ndownload_dir = "~/invoices"  # where PDFs go\n')
    assert 'theme = "nord"' in text.split("[profiles.staging]")[0]
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


async def test_an_unknown_theme_in_config_toml_is_named_at_start_and_the_app_runs_on(
    live_server: LiveServer, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "nope"\n', encoding="utf-8")
    app = app_for(live_server.url, ADMIN_KEY)
    assert app.settings is not None
    app.settings = replace(app.settings, config_path=config, theme="nope", sources={"theme": "config"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [warning] = [message for message in notifications(app) if "nope" in message]
        assert "config file" in warning and "textual-dark" in warning and "nord" in warning
        assert app.theme == "textual-dark"
        assert "Business · annual" in screen_text(app)
    assert config.read_text(encoding="utf-8") == 'theme = "nope"\n'  # the person's file, left for them to fix
