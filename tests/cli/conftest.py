"""Fixtures for the command line: each command runs as a real subprocess (`python -m kaspr_tui`)
against the bundled server (the in-process `live_server`: payments settle at once, the clock is
frozen), its user folders moved into the test's tmp_path."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kaspr_tui.server.testing import ADMIN_KEY, LiveServer

from .helpers import Kaspr, clean_env


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return clean_env(tmp_path)


@pytest.fixture
def kaspr(live_server: LiveServer, env: dict[str, str]) -> Kaspr:
    """`kaspr("status", "--json")`: the command against the live server with the admin key."""
    return Kaspr({**env, "KASPR_API_URL": live_server.url, "KASPR_API_TOKEN": ADMIN_KEY})


@pytest.fixture
def kaspr_as(live_server: LiveServer, env: dict[str, str]) -> Callable[[str], Kaspr]:
    """`kaspr_as("kt_demo_member")("status")`: the same with another key."""
    return lambda key: Kaspr({**env, "KASPR_API_URL": live_server.url, "KASPR_API_TOKEN": key})
