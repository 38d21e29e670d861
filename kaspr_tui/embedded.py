"""The bundled billing server, run as a child process when no API URL is configured.

The child is a plain `subprocess.Popen`, not an asyncio subprocess: `stop_now()` must work from
`atexit` and signal handlers, when no event loop runs, and the app may stop the server from a
different loop than the one that started it. A daemon thread reads the child's output (stdout
and stderr merged) into a log file, so the child never blocks on a full pipe and never writes
to the terminal the app draws on. Every child is stopped at interpreter exit, and exits by
itself (`--watch-parent`) if this process dies without running `atexit`.

The server takes about as long to boot as the app takes to import, so the CLI calls
`start_early()` before it imports the app; the app's `EmbeddedServer(...).start()` then adopts
that process instead of spawning its own. This module never imports Textual.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from kaspr_tui.config import default_data_dir, default_log_dir

LISTENING_LINE = re.compile(r"^Kaspr billing API listening on (http://\S+)$")
STOP_GRACE_SECONDS = 5.0
# Lines of the server's output kept for an error message.
TAIL_LINES = 20


class EmbeddedServerError(Exception):
    """The bundled server did not start; `str()` says why and ends with its last output."""


class EmbeddedServer:
    def __init__(
        self,
        db_path: Path | None = None,
        *,
        extra_args: Sequence[str] = (),
        log_path: Path | None = None,
    ) -> None:
        self.db_path = db_path or default_data_dir() / "billing.db"
        # A server with its own database logs beside it, not over the default server's log.
        default_log = default_log_dir() / "server.log" if db_path is None else db_path.with_suffix(".log")
        self.log_path = log_path or default_log
        self.extra_args = tuple(extra_args)
        self.url: str | None = None
        self._child: _Child | None = None

    @property
    def pid(self) -> int | None:
        return None if self._child is None else self._child.process.pid

    async def start(self, timeout: float = 15.0) -> str:
        """Spawn the server on a free loopback port and return its URL once it listens.

        A running server's URL is returned as is; one that has died since is started again;
        a second call while the first is still waiting shares its process.
        """
        if self._child is not None and self._child.process.poll() is not None:
            await self.stop()
        if self._child is None:
            self._child = _early_children.pop(self._early_key(), None) or self._spawn()
        child = self._child
        try:
            # shield: one caller giving up must not cancel the result for another.
            url = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(child.listening)), timeout)
        except TimeoutError:
            message = child.failure(f"did not start listening within {timeout:g} s")
            await self.stop()
            raise EmbeddedServerError(message) from None
        except BaseException:  # cancelled while starting: leave no child behind
            await self.stop()
            raise
        if url is None:
            await self.stop()
            raise EmbeddedServerError(child.failure("exited before it started listening"))
        self.url = url
        return url

    async def stop(self) -> None:
        """Terminate the server, killing it after a grace period. Safe to call twice."""
        await asyncio.to_thread(self.stop_now)

    def stop_now(self) -> None:
        """The synchronous `stop()`, for `atexit` and signal handlers."""
        child, self._child = self._child, None
        self.url = None
        if child is not None:
            child.stop()

    def _command(self) -> tuple[str, ...]:
        return (
            sys.executable,
            "-m",
            "kaspr_tui.server",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--watch-parent",
            "--db",
            str(self.db_path),
            *self.extra_args,
        )

    def _early_key(self) -> tuple[tuple[str, ...], Path]:
        return self._command(), self.log_path

    def _spawn(self) -> _Child:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        return _Child(self._command(), self.log_path, self.db_path)


def start_early(
    db_path: Path | None = None,
    *,
    extra_args: Sequence[str] = (),
    log_path: Path | None = None,
) -> None:
    """Spawn the server now, without waiting; the first `start()` with the same arguments takes it.

    That `start()` reports any failure; a child nobody takes is stopped at exit.
    """
    server = EmbeddedServer(db_path, extra_args=extra_args, log_path=log_path)
    if server._early_key() not in _early_children:
        _early_children[server._early_key()] = server._spawn()


# Children spawned by start_early(), by command line and log, until a start() adopts them.
_early_children: dict[tuple[tuple[str, ...], Path], _Child] = {}


class _Child:
    """One server process and the thread that copies its output to the log."""

    def __init__(self, command: Sequence[str], log_path: Path, db_path: Path) -> None:
        self.log_path = log_path
        self.db_path = db_path
        self.tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        # Resolved by the reader: the URL, or None if the output ended without it.
        self.listening: concurrent.futures.Future[str | None] = concurrent.futures.Future()
        self._stop_lock = threading.Lock()
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        # Registered before anything else can fail, so that no path leaves the child running.
        atexit.register(self.stop)
        assert self.process.stdout is not None
        self._reader = threading.Thread(
            target=self._read_output,
            args=(self.process.stdout,),
            name="kaspr-embedded-server-output",
            daemon=True,
        )
        self._reader.start()

    def stop(self) -> None:
        """Terminate, wait, kill after the grace period; a second call does nothing."""
        with self._stop_lock:
            atexit.unregister(self.stop)
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(STOP_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            # The pipe reaches end-of-file once the child is gone.
            self._reader.join(STOP_GRACE_SECONDS)

    def failure(self, what: str) -> str:
        code = self.process.poll()
        exit_code = "" if code is None else f" (exit code {code})"
        tail = "\n".join(self.tail) or "(no output)"
        return (
            f"The bundled billing server {what}{exit_code}. "
            f"Its database is {self.db_path}; its log is {self.log_path}. Last output:\n{tail}"
        )

    def _read_output(self, stdout: IO[bytes]) -> None:
        """Copy every line to the log and the tail; resolve `listening` on the listening line."""
        log = self._open_log()
        try:
            for raw_line in stdout:
                line = raw_line.decode("utf-8", errors="replace").rstrip("\r\n")
                self.tail.append(line)
                if log is not None:
                    log.write(line + "\n")
                    log.flush()
                match = LISTENING_LINE.match(line)
                if match:
                    self._resolve(match.group(1))
        finally:
            stdout.close()
            if log is not None:
                log.close()
            self._resolve(None)  # end of output without the line: the server exited

    def _resolve(self, url: str | None) -> None:
        """Set the result once: after the listening line, the end of the output changes nothing."""
        try:
            self.listening.set_result(url)
        except concurrent.futures.InvalidStateError:
            pass

    def _open_log(self) -> IO[str] | None:
        # Losing the log must not stop the server; the tail still feeds error messages.
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            # Who asked for what is for the owner only; an earlier version's 0644 log becomes 0600.
            descriptor = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)
            return open(descriptor, "w", encoding="utf-8")  # left open: the reader closes it
        except OSError:
            return None
