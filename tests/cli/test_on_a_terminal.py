"""On a terminal a purchase asks y/N, card update asks without echo, and NO_COLOR is honoured."""

from __future__ import annotations

import os
import select
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/dev/ptmx").exists(), reason="needs a pseudo-terminal")


class Terminal:
    """A command under a pseudo-terminal: stdin, stdout and stderr are all the terminal."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(sys.executable, [sys.executable, "-m", "kaspr_tui", *args], env)
            finally:
                os._exit(127)
        self.shown = b""

    def read_until(self, text: str, within: float = 60) -> str:
        deadline = time.monotonic() + within
        while text.encode() not in self.shown and time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    self.shown += os.read(self.fd, 65536)
                except OSError:
                    break
        assert text.encode() in self.shown, self.shown.decode(errors="replace")
        return self.shown.decode(errors="replace")

    def type(self, line: str) -> None:
        os.write(self.fd, f"{line}\r".encode())

    def exit_code(self, within: float = 60) -> int:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    self.shown += os.read(self.fd, 65536)
                except OSError:
                    pass
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, 9)
        raise AssertionError("the command did not finish")


@pytest.fixture
def terminal_env(kaspr) -> dict[str, str]:
    return {**kaspr.env, "TERM": "xterm-256color"}


def test_a_purchase_on_a_terminal_asks_and_yes_pays(terminal_env):
    terminal = Terminal(terminal_env, "credits", "buy", "phone", "100")
    shown = terminal.read_until("Continue to payment? [y/N]")
    assert "\x1b[1mCheck that your order is correct\x1b[0m" in shown
    terminal.type("y")
    assert terminal.exit_code() == 0
    assert "Charged €48.00 to Visa •••• 4242." in terminal.shown.decode()


def test_no_at_the_prompt_buys_nothing(terminal_env, admin):
    before = admin.get("/v1/credits").json()
    terminal = Terminal(terminal_env, "credits", "buy", "phone", "100")
    terminal.read_until("[y/N]")
    terminal.type("")
    assert terminal.exit_code() == 2
    assert "Not confirmed, so nothing was bought." in terminal.shown.decode()
    assert admin.get("/v1/credits").json() == before


def test_no_color_leaves_out_every_style(terminal_env):
    terminal = Terminal({**terminal_env, "NO_COLOR": "1"}, "credits", "buy", "phone", "100")
    shown = terminal.read_until("[y/N]")
    terminal.type("n")
    terminal.exit_code()
    assert "Check that your order is correct" in shown
    assert "\x1b[" not in shown


def test_card_update_on_a_terminal_does_not_echo_the_number_or_cvc(terminal_env):
    terminal = Terminal(terminal_env, "card", "update")
    terminal.read_until("Card number (not shown): ")
    terminal.type("4242 4242 4242 4242")
    terminal.read_until("Expiry MM/YY (not shown): ")
    terminal.type("12/30")
    terminal.read_until("Security code (not shown): ")
    terminal.type("987")
    terminal.read_until("Name on card: ")
    terminal.type("Alice Martin")
    assert terminal.exit_code() == 0
    shown = terminal.shown.decode()
    assert "is now your default card." in shown
    assert "4242 4242" not in shown and "987" not in shown
