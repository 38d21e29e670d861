"""The bundled billing server, run as a child process when no API URL is configured.

The child is a plain `subprocess.Popen`, not an asyncio subprocess: `stop_now()` must work from
`atexit` and signal handlers, when no event loop runs, and the app may stop the server from a
different loop than the one that started it. A daemon thread reads the child's output (stdout
and stderr merged) into a log file, so the child never blocks on a full pipe and never writes
to the terminal the app draws on. This module never imports Textual.
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
        self.log_path = log_path or default_log_dir() / "server.log"
        self.extra_args = tuple(extra_args)
        self.url: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        # Resolved by the output reader: the URL, or None if the output ended without it.
        self._listening: concurrent.futures.Future[str | None] = concurrent.futures.Future()
        self._tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        self._stop_lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def start(self, timeout: float = 15.0) -> str:
        """Spawn the server on a free loopback port and return its URL once it listens.

        A running server's URL is returned as is; one that has died since is started again;
        a second call while the first is still waiting shares its process.
        """
        if self._process is not None and self._process.poll() is not None:
            await self.stop()
        if self._process is None:
            self._listening = concurrent.futures.Future()
            self._spawn(self._listening)
        process, listening = self._process, self._listening
        assert process is not None
        try:
            # shield: one caller giving up must not cancel the result for another.
            url = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(listening)), timeout)
        except TimeoutError:
            message = self._failure(f"did not start listening within {timeout:g} s", process)
            await self.stop()
            raise EmbeddedServerError(message) from None
        except BaseException:  # cancelled while starting: leave no child behind
            await self.stop()
            raise
        if url is None:
            await self.stop()
            raise EmbeddedServerError(self._failure("exited before it started listening", process))
        self.url = url
        return url

    async def stop(self) -> None:
        """Terminate the server, killing it after a grace period. Safe to call twice."""
        await asyncio.to_thread(self.stop_now)

    def stop_now(self) -> None:
        """The synchronous `stop()`, for `atexit` and signal handlers."""
        with self._stop_lock:
            process, self._process = self._process, None
            self.url = None
            atexit.unregister(self.stop_now)
            if process is None:
                return
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(STOP_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if self._reader is not None:
                # The pipe reaches end-of-file once the child is gone.
                self._reader.join(STOP_GRACE_SECONDS)
                self._reader = None

    def _command(self) -> list[str]:
        return [
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
        ]

    def _spawn(self, listening: concurrent.futures.Future[str | None]) -> None:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._tail.clear()
        self._process = subprocess.Popen(
            self._command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        # Registered before anything can fail, so that no path leaves the child running.
        atexit.register(self.stop_now)
        assert self._process.stdout is not None
        self._reader = threading.Thread(
            target=self._read_output,
            args=(self._process.stdout, listening),
            name="kaspr-embedded-server-output",
            daemon=True,
        )
        self._reader.start()

    def _read_output(self, stdout: IO[bytes], listening: concurrent.futures.Future[str | None]) -> None:
        """Copy every line to the log and the tail; resolve `listening` on the listening line."""
        log = self._open_log()
        try:
            for raw_line in stdout:
                line = raw_line.decode("utf-8", errors="replace").rstrip("\r\n")
                self._tail.append(line)
                if log is not None:
                    log.write(line + "\n")
                    log.flush()
                match = LISTENING_LINE.match(line)
                if match:
                    _resolve(listening, match.group(1))
        finally:
            stdout.close()
            if log is not None:
                log.close()
            _resolve(listening, None)  # end of output without the line: the server exited

    def _open_log(self) -> IO[str] | None:
        # Losing the log must not stop the server; the tail still feeds error messages.
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            return open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed by the reader)
        except OSError:
            return None

    def _failure(self, what: str, process: subprocess.Popen[bytes]) -> str:
        code = "" if process.returncode is None else f" (exit code {process.returncode})"
        tail = "\n".join(self._tail) or "(no output)"
        return (
            f"The bundled billing server {what}{code}. "
            f"Its database is {self.db_path}; its log is {self.log_path}. Last output:\n{tail}"
        )


def _resolve(listening: concurrent.futures.Future[str | None], url: str | None) -> None:
    """Set the result once: after the listening line, the end of the output changes nothing."""
    try:
        listening.set_result(url)
    except concurrent.futures.InvalidStateError:
        pass
