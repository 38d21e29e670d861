"""The first frame shows the last known dashboard of this profile, URL and key, marked with its
age, and the live state replaces it when it arrives; a failure leaves it marked stale.

The seed (API.md): Acme Corp, Business, annual, 10 licenses of which 8 used. The kept state says
12 licenses (8 used, 4 free), so that what is on screen tells the kept state from the live one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from kaspr_tui import app as app_module
from kaspr_tui.api import BillingClient
from kaspr_tui.config import Settings
from kaspr_tui.server.testing import ADMIN_KEY
from kaspr_tui.state import AccountState, fetch_account, last_known_path, load_last_known, save_last_known
from tests.helpers.app import ServeOn, app_for, settings_for
from tests.helpers.http import free_port
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle, until

KEPT_SEATS = "8 of 12 used · 4 free"
LIVE_SEATS = "8 of 10 used · 2 free"
SLOW_ANSWER_MS = 1500
"""The live account's one request takes this long, so what the first frames show can be read before
it lands, even on a loaded machine."""
KEPT_AT = datetime.now().astimezone().replace(hour=9, minute=14, second=0, microsecond=0)


async def keep_an_earlier_state(url: str, serve_on: ServeOn, port: int) -> AccountState:
    """What an earlier run against `url` would have kept: the live state at 09:14, with 12 licenses."""
    with serve_on(port):
        async with BillingClient(url, ADMIN_KEY, max_retries=0) as client:
            live = await fetch_account(client, now=KEPT_AT)
    assert live.subscription is not None
    kept = replace(live, subscription=live.subscription.model_copy(update={"seats": 12, "seats_available": 4}))
    save_last_known(settings_for(url, ADMIN_KEY), kept)
    return kept


async def test_the_last_known_dashboard_is_shown_at_once_marked_then_replaced_by_the_live_one(
    serve_on: ServeOn,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    await keep_an_earlier_state(url, serve_on, port)
    with serve_on(port, latency_ms=SLOW_ANSWER_MS):
        app = app_for(url, ADMIN_KEY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            first = screen_text(app)
            assert "Loading your account" not in first
            assert "Acme Corp" in first and "Business · annual" in first and KEPT_SEATS in first
            assert "Dashboard · as of 09:14 · updating…" in first
            await settle(pilot)
            live = screen_text(app)
            assert LIVE_SEATS in live and KEPT_SEATS not in live
            assert "as of" not in live and "updating" not in live
    kept_now = load_last_known(settings_for(url, ADMIN_KEY))
    assert kept_now is not None and kept_now.subscription is not None
    assert kept_now.subscription.seats == 10  # the live state is what the next start shows


async def test_another_api_url_starts_with_the_loading_state(serve_on: ServeOn) -> None:
    other_port, port = free_port(), free_port()
    await keep_an_earlier_state(f"http://127.0.0.1:{other_port}", serve_on, other_port)
    with serve_on(port, latency_ms=SLOW_ANSWER_MS):
        app = app_for(f"http://127.0.0.1:{port}", ADMIN_KEY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            first = screen_text(app)
            assert "Loading your account" in first and "Acme Corp" not in first
            await settle(pilot)
            assert LIVE_SEATS in screen_text(app)


async def test_an_unreachable_server_leaves_the_last_known_dashboard_marked_stale_with_the_reason(
    serve_on: ServeOn,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    await keep_an_earlier_state(url, serve_on, port)  # the server is gone after this
    app = app_for(url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert KEPT_SEATS in text and "Business · annual" in text
        assert "Stale — last updated 09:14; retrying failed" in text
        assert f"127.0.0.1:{port}" in text  # the reason: which server could not be reached
        assert "updating" not in text
        assert app.account.stale


async def test_cache_false_shows_nothing_kept_forgets_what_was_kept_and_keeps_nothing(
    serve_on: ServeOn, own_data_folder: Path
) -> None:
    """Someone who turns the cache off expects the account state stored on this machine gone."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    await keep_an_earlier_state(url, serve_on, port)
    assert [path for path in own_data_folder.rglob("*.json")]  # what the earlier run kept
    with serve_on(port, latency_ms=SLOW_ANSWER_MS):
        app = app_for(url, ADMIN_KEY)
        assert app.settings is not None
        app.settings = replace(app.settings, cache=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Loading your account" in screen_text(app)
            await settle(pilot)
            assert LIVE_SEATS in screen_text(app)
    assert [path for path in own_data_folder.rglob("*") if path.is_file()] == []


async def test_a_kept_file_the_wire_models_refuse_is_dropped_and_the_live_state_shown(
    serve_on: ServeOn, caplog: pytest.LogCaptureFixture
) -> None:
    """A file this version did not write (a field renamed): no crash, "Loading…", then the live state."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    await keep_an_earlier_state(url, serve_on, port)
    path = last_known_path(settings_for(url, ADMIN_KEY))
    path.write_text(path.read_text().replace('"seats_available"', '"seats_free"'))
    with serve_on(port, latency_ms=SLOW_ANSWER_MS), caplog.at_level(logging.WARNING):
        app = app_for(url, ADMIN_KEY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert KEPT_SEATS not in screen_text(app)
            await until(pilot, lambda: not app.account.unchecked, "the kept file checked")
            assert not app.account.loaded  # dropped, not shown half-checked
            await settle(pilot)
            assert LIVE_SEATS in screen_text(app)
    assert f"Ignored the last known account state in {path}" in caplog.text


async def test_a_page_asked_for_in_the_first_moment_opens_once_the_kept_state_is_checked(
    serve_on: ServeOn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the dashboard shows the first frame's unchecked records; w waits for the check."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    await keep_an_earlier_state(url, serve_on, port)
    checking_may_end = threading.Event()

    def slow_check(settings: Settings) -> AccountState | None:
        checking_may_end.wait(10)
        return load_last_known(settings)

    monkeypatch.setattr(app_module, "load_last_known", slow_check)
    with serve_on(port, latency_ms=SLOW_ANSWER_MS):
        app = app_for(url, ADMIN_KEY)
        async with app.run_test(size=(80, 24)) as pilot:
            pressed = asyncio.create_task(pilot.press("w"))  # it waits for the key to be handled
            await asyncio.sleep(0.2)
            assert app.current_mode == "dashboard" and app.account.unchecked
            checking_may_end.set()
            await pressed
            await until(pilot, lambda: app.current_mode == "workspace", "the workspace page")
            assert not app.account.unchecked
            # The page lists the members (it reloads them for the checked state, then the live one).
            await until(pilot, lambda: "alice@acme.example" in screen_text(app), "the members listed")
