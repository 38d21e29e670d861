"""The last known account state (state.py): kept after a live load, read at the next start only by
the same profile, API URL and key; never a key in it; a bad file is ignored with a log line.

The state is a real one, fetched from the bundled server (the seed: Acme Corp, Business, annual).
"""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from kaspr_tui.api import BillingClient
from kaspr_tui.config import Settings
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY, LiveServer
from kaspr_tui.state import (
    AccountState,
    as_of,
    fetch_account,
    forget_last_known,
    last_known_path,
    load_last_known,
    peek_last_known,
    save_last_known,
)
from tests.helpers.app import settings_for

SECRET_KEY = "kt_live_4f9c2e7d1b8a6f3e5d0c9b7a"


@pytest.fixture
async def live_state(live_server: LiveServer) -> AccountState:
    async with BillingClient(live_server.url, ADMIN_KEY, max_retries=0) as client:
        return await fetch_account(client, now=datetime.now().astimezone())


def test_a_saved_state_is_read_back_whole_and_marked_as_the_last_known(
    live_state: AccountState, own_data_folder: Path
) -> None:
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    save_last_known(settings, live_state)

    read = load_last_known(settings)

    assert read is not None and read.cached
    assert replace(read, cached=False) == live_state
    assert read.subscription is not None and read.subscription.seats == 10
    assert read.default_card is not None and read.default_card.last4 == "4242"
    assert read.events and read.events == live_state.events
    path = last_known_path(settings)
    assert path.is_relative_to(own_data_folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_file_never_holds_the_key(live_state: AccountState) -> None:
    settings = settings_for("http://127.0.0.1:8787", SECRET_KEY)
    save_last_known(settings, live_state)
    path = last_known_path(settings)

    assert SECRET_KEY not in path.read_text()
    assert SECRET_KEY not in str(path)
    assert "api_key" not in path.read_text()


@pytest.mark.parametrize(
    "other",
    [
        settings_for("http://127.0.0.1:9999", ADMIN_KEY),  # another URL
        settings_for("http://127.0.0.1:8787", MEMBER_KEY),  # another key (a member must not see an admin's card)
        replace(settings_for("http://127.0.0.1:8787", ADMIN_KEY), profile="staging"),  # another profile
        replace(settings_for("http://127.0.0.1:8787", ADMIN_KEY), api_url=None),  # the bundled server
    ],
    ids=["url", "key", "profile", "embedded"],
)
def test_a_state_is_never_read_for_another_profile_url_or_key(live_state: AccountState, other: Settings) -> None:
    save_last_known(settings_for("http://127.0.0.1:8787", ADMIN_KEY), live_state)
    assert load_last_known(other) is None


def test_a_file_renamed_to_another_profile_is_ignored_with_a_log_line(
    live_state: AccountState, caplog: pytest.LogCaptureFixture
) -> None:
    mine = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    theirs = replace(mine, profile="staging")
    save_last_known(mine, live_state)
    last_known_path(theirs).write_bytes(last_known_path(mine).read_bytes())

    with caplog.at_level(logging.WARNING, logger="kaspr_tui.state"):
        assert load_last_known(theirs) is None
    assert "another profile or API URL" in caplog.text


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff garbage \x9c",
        b'{"format": 1, "profile": null, "api_url": "http://127.0.0.1:8787", "state": ',
        b"[1, 2, 3]",
        b'{"format": 99, "profile": null, "api_url": "http://127.0.0.1:8787", "state": {}}',
        b'{"format": 1, "profile": null, "api_url": "http://127.0.0.1:8787", "state": {"me": {"user": 7}}}',
        b'{"format": 1, "profile": null, "api_url": "http://127.0.0.1:8787", "state": {}}',
    ],
    ids=["not-text", "cut-short", "not-an-object", "other-format", "wrong-field", "no-account"],
)
def test_a_corrupt_file_is_ignored_with_a_log_line(content: bytes, caplog: pytest.LogCaptureFixture) -> None:
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    path = last_known_path(settings)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)

    with caplog.at_level(logging.WARNING, logger="kaspr_tui.state"):
        assert load_last_known(settings) is None
    assert f"Ignored the last known account state in {path}" in caplog.text


def test_an_unreadable_file_is_ignored_with_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    last_known_path(settings).mkdir(parents=True)  # a folder where the file should be: reading it fails

    with caplog.at_level(logging.WARNING, logger="kaspr_tui.state"):
        assert load_last_known(settings) is None
    assert "cannot read it" in caplog.text


def test_a_file_that_cannot_be_written_is_logged_not_raised(
    live_state: AccountState, own_data_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    own_data_folder.mkdir(parents=True)
    (own_data_folder / "kaspr-tui").write_text("a file where the folder should be")

    with caplog.at_level(logging.WARNING, logger="kaspr_tui.state"):
        save_last_known(settings_for("http://127.0.0.1:8787", ADMIN_KEY), live_state)
    assert "Could not keep the last known account state" in caplog.text


def test_fields_this_version_does_not_know_are_ignored_and_missing_ones_take_their_defaults(
    live_state: AccountState,
) -> None:
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    save_last_known(settings, live_state)
    path = last_known_path(settings)
    body = json.loads(path.read_text())
    body["state"]["upcoming_charges"] = [{"amount": 1200}]  # written by a newer version
    del body["state"]["billing_details"]  # written by an older one
    path.write_text(json.dumps(body))

    read = load_last_known(settings)

    assert read is not None
    assert read.subscription == live_state.subscription and read.billing_details is None


def test_cache_false_writes_nothing_and_reads_nothing(live_state: AccountState, own_data_folder: Path) -> None:
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    save_last_known(settings, live_state)
    off = replace(settings, cache=False)
    assert load_last_known(off) is None

    last_known_path(settings).unlink()
    save_last_known(off, live_state)
    assert not any(path.is_file() for path in own_data_folder.rglob("*"))


def test_forgetting_removes_what_this_profile_url_and_key_kept_and_nothing_else(
    live_state: AccountState, own_data_folder: Path
) -> None:
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    staging = replace(settings, profile="staging")
    save_last_known(settings, live_state)
    save_last_known(staging, live_state)

    forget_last_known(replace(settings, cache=False))

    assert not last_known_path(settings).exists()
    assert load_last_known(staging) is not None
    forget_last_known(settings)  # nothing left to forget: not an error


def test_the_last_known_state_itself_is_never_saved_again(live_state: AccountState) -> None:
    """Only a live load is kept: the time it says it was fetched stays true."""
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    save_last_known(settings, live_state)
    before = last_known_path(settings).read_bytes()
    read = load_last_known(settings)
    assert read is not None

    save_last_known(settings, replace(read, subscription=None))
    assert last_known_path(settings).read_bytes() == before


# ---- the first frame's reading, without the wire models ----------------------------------------


def test_the_first_frame_reads_the_same_values_without_the_wire_models(live_state: AccountState) -> None:
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    save_last_known(settings, live_state)

    peeked = peek_last_known(settings)

    assert peeked is not None and peeked.cached and peeked.unchecked
    assert live_state.subscription is not None and peeked.subscription is not None
    assert peeked.me is not None and peeked.me.workspace is not None and peeked.me.workspace.name == "Acme Corp"
    assert peeked.plan_name(peeked.subscription.plan) == "Business"
    assert peeked.subscription.current_period_end == live_state.subscription.current_period_end  # a datetime again
    assert peeked.default_card is not None and peeked.default_card.last4 == "4242"
    assert [event.description for event in peeked.events] == [event.description for event in live_state.events]
    assert peeked.loaded_at == live_state.loaded_at


async def test_a_support_console_is_not_shown_from_the_first_frame_reading(live_server: LiveServer) -> None:
    async with BillingClient(live_server.url, SUPPORT_KEY, max_retries=0) as client:
        support_state = await fetch_account(client, now=datetime.now().astimezone())
    settings = settings_for(live_server.url, SUPPORT_KEY)
    save_last_known(settings, support_state)

    assert peek_last_known(settings) is None
    assert load_last_known(settings) is not None  # kept, and read once the models are loaded


@pytest.mark.parametrize("reader", [load_last_known, peek_last_known], ids=["checked", "first-frame"])
def test_either_reading_ignores_a_file_of_another_profile_or_a_corrupt_one(
    live_state: AccountState, reader: Callable[[Settings], AccountState | None]
) -> None:
    settings = settings_for("http://127.0.0.1:8787", ADMIN_KEY)
    save_last_known(settings, live_state)
    assert reader(replace(settings, profile="staging")) is None
    last_known_path(settings).write_bytes(b'{"format": 1, "profile": nu')
    assert reader(settings) is None


def test_the_age_reads_as_a_time_today_and_with_its_day_on_another_day() -> None:
    now = datetime(2026, 12, 2, 8, 0).astimezone()
    assert as_of(now.replace(hour=7, minute=5), now) == "07:05"
    assert as_of(now.replace(day=1, hour=9, minute=14), now) == "1 Dec 09:14"
