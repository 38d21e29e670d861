"""`kaspr-tui mock-server` as a real subprocess, to be killed (SIGKILL) and started again on the
same database and port; everything it prints is kept for the card-number check."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

FROZEN_NOW = "2026-11-27T09:00:00Z"
START_TIMEOUT_SECONDS = 20.0
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))")


def mock_server_command() -> list[str]:
    installed = shutil.which("kaspr-tui")
    return [installed] if installed else [sys.executable, "-m", "kaspr_tui.cli"]


class MockServerProcess:
    def __init__(self, db: Path, log: Path, *, payment_delay: float) -> None:
        self.db = db
        self.log = log
        self.payment_delay = payment_delay
        self.port = 0
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, *options: str) -> MockServerProcess:
        """Start on the port it had before (a free one the first time), with these extra command-line
        options for this run only; return once it answers."""
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as output:
            self._process = subprocess.Popen(
                [*mock_server_command(), "mock-server", "--port", str(self.port), "--db", str(self.db),
                 "--payment-delay", str(self.payment_delay), "--frozen-now", FROZEN_NOW, "--rate-limit", "10000",
                 *options],
                stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self._process.poll() is None, f"the server exited: {self.output()}"
            found = LISTENING.search(self.log.read_bytes()[offset:].decode(errors="replace"))
            if found and self._answers(found.group(1)):
                self.url, self.port = found.group(1), int(found.group(2))
                return self
            time.sleep(0.05)
        raise AssertionError(f"the server did not start: {self.output()}")

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no last commit; what is on disk is all that is left."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(START_TIMEOUT_SECONDS)
        self._process = None

    def killed_itself(self) -> bool:
        """Whether the server died of a SIGKILL it sent itself (`--crash-at`); waits for it to die."""
        assert self._process is not None
        returncode = self._process.wait(START_TIMEOUT_SECONDS)
        self._process = None
        return returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(START_TIMEOUT_SECONDS)
            self._process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
