"""Shared fixtures: the bundled billing server, seeded and frozen, on a free loopback port; and the
hypothesis profiles: `ci` (the default: the same examples on every run, no deadline, which a busy
machine would miss) and `random` (HYPOTHESIS_PROFILE=random: new examples each run, to hunt)."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import settings

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import (
    ADMIN_KEY,
    FROZEN_NOW,
    GLOBEX_KEY,
    MEMBER_KEY,
    SUPPORT_KEY,
    LiveServer,
)
from tests.helpers.http import KEEPALIVE_EXPIRY, LOOPBACK_TLS

# Where PYTHONDONTWRITEBYTECODE is set (this machine sets it), every pytest worker rewrote and compiled
# each test module again, and every `python -m kaspr_tui` of the CLI tests compiled the project: the
# tests check behaviour, not compilation, so here bytecode is cached as it is for an installed package.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

settings.register_profile("ci", derandomize=True, deadline=None, database=None)
settings.register_profile("random", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first: dealt out as the run starts, they end with it, not minutes after."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


FULL_COLLECTION_EVERY = 10
"""Tests between two full garbage collections (see `pytest_collection_finish`)."""

_tests_since_full_collection = 0


def pytest_collection_finish(session: pytest.Session) -> None:
    """Full garbage collections only every `FULL_COLLECTION_EVERY` tests, and never through what was
    there before the first test. Python ran one whenever enough objects had outlived two young
    collections: each test's app, its widgets and Textual's render caches are such objects, so a
    full collection came every test or two and went through every object the worker held (modules,
    collected tests, caches), 19% of the CPU of the TUI tests. Frozen, the objects of the imports and
    the collection are never looked at again; young collections still run as Python schedules them."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000_000)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    global _tests_since_full_collection
    _tests_since_full_collection += 1
    if _tests_since_full_collection == FULL_COLLECTION_EVERY:
        _tests_since_full_collection = 0
        gc.collect()


def settings_for_tests(db_path: Path) -> ServerSettings:
    """Payments that settle at once, a frozen clock, a generous rate limit."""
    return ServerSettings(db_path=db_path, payment_delay=0, frozen_now=FROZEN_NOW, rate_limit=10_000)


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps what the app saves (the last known account state) in a folder of its own,
    never in the user's, and never sees another test's."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data seeded once (in each worker) at the frozen instant: a test copies it instead of
    seeding its own (the same data: the seed is deterministic at a frozen time)."""
    path = tmp_path_factory.mktemp("seeded") / "billing.db"
    with LiveServer(settings_for_tests(path)):
        pass
    return path


@pytest.fixture
def server_settings(tmp_path: Path, seeded_database: Path) -> ServerSettings:
    """A fresh copy of the seeded database, payments that settle at once, a frozen clock, a generous
    rate limit."""
    for seeded_file in seeded_database.parent.glob(f"{seeded_database.name}*"):  # the database and any WAL
        shutil.copyfile(seeded_file, tmp_path / seeded_file.name)
    return settings_for_tests(tmp_path / seeded_database.name)


@pytest.fixture(scope="session")
def servers_stopping() -> Iterator[list[threading.Thread]]:
    """Servers of finished tests still shutting down; every one has stopped when the session ends."""
    stopping: list[threading.Thread] = []
    yield stopping
    for thread in stopping:
        thread.join()


@pytest.fixture
def live_server(server_settings: ServerSettings, servers_stopping: list[threading.Thread]) -> Iterator[LiveServer]:
    """The bundled server on the test's database. It is told to stop when the test ends, and the next
    test does not wait for it: uvicorn sleeps 0.1-0.2 s in every shutdown, a minute and more over the
    suite. (Tests that restart a server on the same database use LiveServer themselves, and wait.)"""
    server = LiveServer(server_settings).__enter__()
    yield server
    stop = threading.Thread(target=server.__exit__, args=(None, None, None), name="kaspr-live-server-stop")
    stop.start()
    servers_stopping.append(stop)


ClientFactory = Callable[..., httpx.Client]


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[ClientFactory]:
    """`api("kt_demo_admin")`: an httpx.Client on the live server with that key (None: no key)."""
    clients: list[httpx.Client] = []

    def client(key: str | None = ADMIN_KEY, **headers: str) -> httpx.Client:
        auth = {"Authorization": f"Bearer {key}"} if key else {}
        new = httpx.Client(base_url=live_server.url, headers={**auth, **headers}, timeout=10, verify=LOOPBACK_TLS,
                           limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY))
        clients.append(new)
        return new

    yield client
    for open_client in clients:
        open_client.close()


@pytest.fixture
def admin(api: ClientFactory) -> httpx.Client:
    return api(ADMIN_KEY)


@pytest.fixture
def member(api: ClientFactory) -> httpx.Client:
    return api(MEMBER_KEY)


@pytest.fixture
def support(api: ClientFactory) -> httpx.Client:
    return api(SUPPORT_KEY)


@pytest.fixture
def globex(api: ClientFactory) -> httpx.Client:
    return api(GLOBEX_KEY)
