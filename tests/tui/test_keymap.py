"""`[keymap]` rebinds by binding id; an unknown id or a clash is said at start, never a crash."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.pilot import Pilot

from kaspr_tui.app import KasprApp
from kaspr_tui.config import resolve_settings
from kaspr_tui.keymap import own_bindings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.screen import notifications
from tests.helpers.waiting import settle, until


def with_keymap(url: str, **keymap: str) -> KasprApp:
    app = app_for(url, ADMIN_KEY)
    assert app.settings is not None
    app.settings = replace(app.settings, keymap={name.replace("__", "."): keys for name, keys in keymap.items()})
    return app


async def keymap_notice(pilot: Pilot[None]) -> str:
    await until(pilot, lambda: any("keymap" in message for message in notifications(pilot.app)), "the keymap notice")
    return next(message for message in notifications(pilot.app) if "keymap" in message)


async def test_a_binding_rebound_by_id_answers_its_new_key_only(live_server: LiveServer) -> None:
    app = with_keymap(live_server.url, app__billing="f2")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert app.current_mode == "dashboard"
        await pilot.press("f2")
        await settle(pilot)
        assert app.current_mode == "billing"
        assert not any("keymap" in message for message in notifications(app))


async def test_a_clash_is_said_at_start_and_the_app_runs_on(live_server: LiveServer) -> None:
    app = with_keymap(live_server.url, app__billing="w")
    async with app.run_test(size=(80, 24)) as pilot:
        notice = await keymap_notice(pilot)
        assert "w is given to app.billing and app.workspace" in notice
        await pilot.press("s")  # still working
        await settle(pilot)
        assert app.current_mode == "support"


async def test_an_unknown_id_is_said_at_start(live_server: LiveServer) -> None:
    app = with_keymap(live_server.url, app__bilings="f2")
    async with app.run_test(size=(80, 24)) as pilot:
        notice = await keymap_notice(pilot)
        assert "no binding has the id 'app.bilings'" in notice
        await pilot.press("b")
        await settle(pilot)
        assert app.current_mode == "billing"


def test_keymap_comes_from_config_toml_and_bad_entries_are_warnings(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.billing" = "f2, ctrl+b"\n"app.quit" = 3\n', encoding="utf-8")
    settings = resolve_settings(cli={"config_path": config}, env={})
    assert dict(settings.keymap) == {"app.billing": "f2,ctrl+b"}
    assert any("keymap.app.quit must be keys in a string" in warning for warning in settings.warnings)


def test_every_binding_of_the_app_has_an_id() -> None:
    """An id is what a keymap names: a binding without one could not be rebound."""
    missing = {
        f"{scope}: {binding.key} → {binding.action}"
        for scope, bindings in own_bindings(KasprApp).items()
        for binding in bindings
        if not binding.id
    }
    assert not missing
