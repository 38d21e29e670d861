"""The server as an operator sees it: rate limits, injected faults, restarts, determinism,
credits consumption, and the `mock-server` command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, FROZEN_NOW, LiveServer

AUTH = {"Authorization": f"Bearer {ADMIN_KEY}"}


def test_consuming_credits_draws_the_pool_and_refuses_what_is_not_there(member: httpx.Client) -> None:
    response = member.post("/v1/credits/consume", json={"type": "phone", "quantity": 1660})
    phone = next(c for c in response.json()["data"] if c["type"] == "phone")
    assert (phone["used"], phone["remaining"]) == (2000, 500)  # included spent first, add-ons left
    refused = member.post("/v1/credits/consume", json={"type": "phone", "quantity": 501})
    error = refused.json()["error"]
    assert (refused.status_code, error["type"], error["code"]) == (402, "invalid_request_error", "insufficient_credits")
    assert "Only 500 phone credits are left" in error["message"]
    assert member.post("/v1/credits/consume", json={"type": "phone", "quantity": 500}).status_code == 200


def test_over_the_rate_limit_is_429_with_retry_after(server_settings: ServerSettings) -> None:
    server_settings.rate_limit = 5
    with LiveServer(server_settings) as server, httpx.Client(base_url=server.url, headers=AUTH) as admin:
        statuses = [admin.get("/v1/me").status_code for _ in range(12)]
        limited = admin.get("/v1/me")
        assert statuses[:5] == [200] * 5
        assert 429 in statuses
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) >= 1
        # Another key has its own bucket; health checks are never limited.
        other = httpx.get(f"{server.url}/v1/me", headers={"Authorization": "Bearer kt_demo_member"})
        assert other.status_code == 200
        assert all(httpx.get(f"{server.url}/healthz").status_code == 200 for _ in range(10))


def test_an_injected_outage_is_503_and_changes_nothing(server_settings: ServerSettings) -> None:
    server_settings.fail_rate = 1.0
    with LiveServer(server_settings) as server, httpx.Client(base_url=server.url, headers=AUTH) as admin:
        response = admin.post("/v1/invitations", json={"email": "ines@acme.example"},
                              headers={"Idempotency-Key": "outage"})
        assert (response.status_code, response.json()["error"]["code"]) == (503, "unavailable")
        assert response.headers["Request-Id"] == response.json()["error"]["request_id"]
        assert httpx.get(f"{server.url}/healthz").status_code == 200
    server_settings.fail_rate = 0.0
    with LiveServer(server_settings) as server, httpx.Client(base_url=server.url, headers=AUTH) as admin:
        assert admin.get("/v1/subscription").json()["pending_invitations"] == 1
        # The key stored nothing: the retry runs for real.
        invitation = {"email": "ines@acme.example"}
        retry = admin.post("/v1/invitations", json=invitation, headers={"Idempotency-Key": "outage"})
        assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers


def test_state_survives_a_restart(server_settings: ServerSettings) -> None:
    with LiveServer(server_settings) as server, httpx.Client(base_url=server.url, headers=AUTH) as admin:
        assert admin.post("/v1/invitations", json={"email": "ines@acme.example"}).status_code == 201
        assert admin.post("/v1/test_helpers/advance_clock", json={"days": 3}).status_code == 200
    with LiveServer(server_settings) as server, httpx.Client(base_url=server.url, headers=AUTH) as admin:
        assert admin.get("/v1/subscription").json()["pending_invitations"] == 2
        quote = admin.post("/v1/quotes", json={"seats": 11}).json()
        assert quote["created"] == "2026-11-30T09:00:00Z"  # the advanced clock was kept


def test_reset_starts_again_from_the_seed(server_settings: ServerSettings) -> None:
    with LiveServer(server_settings) as server:
        httpx.post(f"{server.url}/v1/invitations", json={"email": "ines@acme.example"}, headers=AUTH)
    server_settings.reset = True
    with LiveServer(server_settings) as server:
        assert httpx.get(f"{server.url}/v1/subscription", headers=AUTH).json()["pending_invitations"] == 1


def test_the_same_seed_and_time_give_byte_identical_answers(tmp_path: Path) -> None:
    paths = ["/v1/subscription", "/v1/credits", "/v1/invoices?limit=100", "/v1/events?limit=100",
             "/v1/members?limit=100", "/v1/invoices/in_000008", "/v1/billing_details"]
    answers = []
    for name in ("one.db", "two.db"):
        settings = ServerSettings(db_path=tmp_path / name, payment_delay=0, frozen_now=FROZEN_NOW)
        with LiveServer(settings) as server, httpx.Client(base_url=server.url, headers=AUTH) as admin:
            answers.append([admin.get(path).content for path in paths])
    assert answers[0] == answers[1]


def _start_cli(*args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kaspr_tui.server", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert process.stdout is not None
    first_line = process.stdout.readline().strip()
    return process, first_line


def test_mock_server_prints_where_it_listens_and_serves_the_demo(tmp_path: Path) -> None:
    process, line = _start_cli("--db", str(tmp_path / "cli.db"), "--frozen-now", "2026-11-27T09:00:00Z")
    try:
        assert line.startswith("Kaspr billing API listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        subscription = httpx.get(f"{url}/v1/subscription", headers=AUTH).json()
        assert (subscription["plan"], subscription["seats"]) == ("business", 10)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert process.returncode == 0
    output = process.stdout.read()
    assert "kt_demo_support" in output
    assert "Traceback" not in output


def test_mock_server_exits_when_its_parent_dies(tmp_path: Path) -> None:
    """The TUI starts the server as a child: if the TUI dies, the server must not live on."""
    pid_file = tmp_path / "server.pid"
    parent = subprocess.Popen([sys.executable, "-c", (
        "import subprocess, sys, pathlib\n"
        f"p = subprocess.Popen([sys.executable, '-m', 'kaspr_tui.server', '--port', '0', '--watch-parent',"
        f" '--db', {str(tmp_path / 'orphan.db')!r}], stdout=subprocess.PIPE, text=True)\n"
        "p.stdout.readline()\n"
        f"pathlib.Path({str(pid_file)!r}).write_text(str(p.pid))\n"
    )])
    assert parent.wait(timeout=30) == 0
    server_pid = int(pid_file.read_text())
    for _ in range(100):
        if not _alive(server_pid):
            break
        time.sleep(0.1)
    else:
        os.kill(server_pid, signal.SIGKILL)
        pytest.fail("the server outlived its parent")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split()[2] != "Z"
