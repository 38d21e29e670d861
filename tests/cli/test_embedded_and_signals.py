"""With no URL configured a command uses the bundled server as the TUI does (same database,
started and stopped for the command), and leaves no server behind on any way out: done, failed,
refused, Ctrl-C, `kill`. The app itself refuses to start without a terminal."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from .helpers import Kaspr

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


def servers_using(folder: Path) -> set[int]:
    """Pids of bundled servers whose command line names a path inside `folder`."""
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"kaspr_tui.server" in command and any(str(folder).encode() in part for part in command):
            pids.add(int(entry.name))
    return pids


def wait_until_gone(folder: Path, within: float = 10.0) -> set[int]:
    deadline = time.monotonic() + within
    while servers_using(folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    return servers_using(folder)


@pytest.fixture
def embedded(env) -> Kaspr:
    return Kaspr(env)


def test_a_command_with_nothing_configured_uses_the_tuis_database_and_stops_its_server(embedded, tmp_path):
    result = embedded("status")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("Acme Corp · Business · annual")
    assert (tmp_path / "xdg-data" / "kaspr-tui" / "billing.db").exists()
    assert servers_using(tmp_path) == set()
    # The same database as the next command (and the TUI): a purchase is still there afterwards.
    assert embedded("credits", "buy", "phone", "100", "--yes").code == 0
    after = embedded("credits", "--json").json()
    assert next(b for b in after if b["type"] == "phone")["addon"] == 600
    assert wait_until_gone(tmp_path) == set()


def test_a_failing_or_refused_command_stops_the_server_too(embedded, tmp_path):
    assert embedded("credits", "buy", "phone", "100").code == 2  # no terminal, no --yes
    assert embedded("invoices", "download", "NOPE-2026-000001").code == 5
    assert wait_until_gone(tmp_path) == set()


@pytest.mark.parametrize(("how", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 130)])
def test_ctrl_c_or_kill_while_a_command_waits_stops_the_server(embedded, tmp_path, how, code):
    # A 3-D Secure card makes the purchase wait on the prompt, with the server running.
    process = embedded.popen("card", "update")
    process.stdin.write("4000002760003184\n12/30\n123\nAlice Martin\n")
    process.stdin.close()
    assert process.wait(60) == 0, process.stderr.read()
    waiting = embedded.popen("credits", "buy", "phone", "100", "--yes")
    deadline = time.monotonic() + 60
    seen = ""
    while "Approve or deny?" not in seen and time.monotonic() < deadline:
        seen += waiting.stderr.read(1)
    assert "Approve or deny?" in seen
    assert len(servers_using(tmp_path)) == 1
    waiting.send_signal(how)
    assert waiting.wait(30) == code
    rest = waiting.stderr.read()
    assert "Traceback" not in rest
    assert "denying the payment" in rest
    assert wait_until_gone(tmp_path) == set()


def test_the_app_without_a_terminal_refuses_with_one_line_and_exit_2(embedded, tmp_path):
    result = embedded()
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "kaspr-tui status --json" in result.stderr
    assert servers_using(tmp_path) == set()  # it refused before starting anything


def test_python_m_kaspr_tui_is_kaspr_tui(embedded):
    from kaspr_tui import __version__

    assert embedded("--version").stdout == f"kaspr-tui {__version__}\n"


def test_ctrl_c_while_the_payment_is_processing_stops_the_server(embedded, tmp_path):
    # The bundled server processes a payment for 1.5 s: the command is polling it, in the event loop.
    waiting = embedded.popen("credits", "buy", "phone", "100", "--yes")
    deadline = time.monotonic() + 60
    seen = ""
    while "is being processed" not in seen and time.monotonic() < deadline:
        seen += waiting.stderr.read(1)
    waiting.send_signal(signal.SIGINT)
    assert waiting.wait(30) == 130
    assert "Traceback" not in waiting.stderr.read()
    assert wait_until_gone(tmp_path) == set()
