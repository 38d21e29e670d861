"""The bundled server as the app's child process: it starts, answers, and never outlives the app."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kaspr_tui.api import BillingClient
from kaspr_tui.config import DEMO_ADMIN_KEY
from kaspr_tui.embedded import EmbeddedServer, EmbeddedServerError

# How long a dead parent's server may take to notice and exit; a bound, not a measurement.
EXIT_WAIT_SECONDS = 30.0


def process_running(pid: int) -> bool:
    """Whether `pid` is a live process; one that has fully exited but is not yet reaped is not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        # The state is the field after the parenthesised command name.
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        # A killed process's main thread turns zombie before its other threads have ended.
        threads = len(os.listdir(f"/proc/{pid}/task"))
    except FileNotFoundError:  # reaped since
        return False
    return not (state == "Z" and threads == 1)


def wait_until_gone(pid: int, within: float = EXIT_WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not process_running(pid):
            return True
        time.sleep(0.1)
    return not process_running(pid)


@pytest.fixture
def server(tmp_path):
    embedded = EmbeddedServer(tmp_path / "data" / "billing.db", log_path=tmp_path / "server.log")
    yield embedded
    embedded.stop_now()


async def test_start_serves_the_seeded_demo_workspace_and_stop_ends_the_process(server, tmp_path):
    url = await server.start()
    assert url.startswith("http://127.0.0.1:")
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{url}/healthz")).status_code == 200
    async with BillingClient(url, DEMO_ADMIN_KEY) as client:
        me = await client.me()
    assert me.workspace is not None and me.workspace.name == "Acme Corp"
    assert (tmp_path / "data" / "billing.db").exists()

    pid = server.pid
    await server.stop()
    assert not process_running(pid)
    assert server.url is None
    await server.stop()  # a second stop is harmless


async def test_the_server_writes_to_a_log_beside_its_database_never_to_the_terminal(
    tmp_path, capfd
):
    server = EmbeddedServer(tmp_path / "billing.db")
    try:
        url = await server.start()
    finally:
        await server.stop()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert f"Kaspr billing API listening on {url}" in (tmp_path / "billing.log").read_text()


async def test_the_database_with_the_demo_keys_and_the_log_are_readable_by_their_owner_only(tmp_path):
    """billing.db holds the demo API keys; its log, who asked for what: neither is for other users."""
    database, log = tmp_path / "data" / "billing.db", tmp_path / "server.log"
    database.parent.mkdir()
    database.touch(mode=0o644)  # as an earlier version left it
    server = EmbeddedServer(database, log_path=log)
    try:
        url = await server.start()
        async with BillingClient(url, DEMO_ADMIN_KEY) as client:
            await client.me()
        files = [database, log, *database.parent.glob("billing.db-*")]
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in files}
    finally:
        await server.stop()
    assert "billing.db-wal" in modes  # the journal, while the server runs
    assert modes == {path.name: 0o600 for path in files}


async def test_stop_now_ends_the_process_without_an_event_loop(server):
    await server.start()
    pid = server.pid
    server.stop_now()
    assert not process_running(pid)


async def test_a_server_that_fails_to_start_reports_its_own_error(tmp_path):
    server = EmbeddedServer(
        tmp_path / "billing.db", extra_args=["--no-such-flag"], log_path=tmp_path / "server.log"
    )
    with pytest.raises(EmbeddedServerError) as raised:
        await server.start()
    message = str(raised.value)
    assert "exited before it started listening" in message
    assert "--no-such-flag" in message  # the server's own complaint, from its stderr
    assert server.pid is None


async def test_a_server_that_never_listens_is_stopped_after_the_timeout(server, monkeypatch):
    stuck = "import time; print('warming up', flush=True); time.sleep(600)"
    monkeypatch.setattr(server, "_command", lambda: (sys.executable, "-c", stuck))
    with pytest.raises(EmbeddedServerError, match=r"did not start listening within 0.5 s") as raised:
        await server.start(timeout=0.5)
    assert "warming up" in str(raised.value)
    assert server.pid is None


PARENT_SCRIPT = """
import asyncio, sys
from pathlib import Path
from kaspr_tui.embedded import EmbeddedServer

async def main():
    server = EmbeddedServer(Path(sys.argv[1]), log_path=Path(sys.argv[2]))
    await server.start()
    print(server.pid, flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


def test_the_server_exits_by_itself_when_its_parent_is_killed(tmp_path):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT_SCRIPT, str(tmp_path / "billing.db"), str(tmp_path / "s.log")],
        stdout=subprocess.PIPE,
        text=True,
    )
    server_pid = None
    try:
        server_pid = int(parent.stdout.readline())
        assert process_running(server_pid)
        parent.kill()  # SIGKILL: no atexit, no cleanup in the parent
        parent.wait()
        assert wait_until_gone(server_pid), "the bundled server outlived its parent"
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()
        if server_pid is not None and process_running(server_pid):
            os.kill(server_pid, 9)


async def test_start_after_the_server_died_starts_a_new_one(server):
    await server.start()
    first_pid = server.pid
    os.kill(first_pid, 9)
    assert wait_until_gone(first_pid)
    url = await server.start()
    assert server.pid != first_pid
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{url}/healthz")).status_code == 200


async def test_two_starts_at_once_share_one_server(server):
    first, second = await asyncio.gather(server.start(), server.start())
    assert first == second
