"""Running a program under a pseudo-terminal, as a person would, and reading what it draws.

Shared by the benchmarks that drive the app through a terminal (startup, keys, big_workspace, big_invoices).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from pathlib import Path

LISTENING = re.compile(r"listening on (http://\S+)")
# What a terminal interprets rather than shows.
ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, clipboard
    rb"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS and other strings
    rb"|\x1b[ -/]*[0-~]"  # two-character escapes
)


def shown_text(output: bytes) -> str:
    """What the program drew, escape codes stripped."""
    return ESCAPES.sub(b"", output).decode(errors="replace")


def spawn(argv: Sequence[str], env: dict[str, str], rows: int, columns: int) -> tuple[int, int]:
    """Start `argv` on a new terminal of `rows`×`columns`; its pid and the terminal's master end."""
    pid, master = pty.fork()
    if pid == 0:  # the child: size the terminal before the program can ask for it
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execve(argv[0], list(argv), env)
        finally:
            os._exit(127)  # never run the parent's code in the child
    return pid, master


def read_some(master: int, output: bytearray, timeout: float) -> bool:
    """Append what the program wrote; False once it has closed the terminal."""
    ready, _, _ = select.select([master], [], [], max(timeout, 0))
    if not ready:
        return True
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the program exited and closed the terminal
        return False
    output.extend(chunk)
    return bool(chunk)


def drain_until_exit(pid: int, master: int, deadline: float) -> bool:
    """Keep reading (a program blocked on a full terminal cannot exit) until it has exited."""
    sink = bytearray()
    while time.perf_counter() < deadline:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            return True
        read_some(master, sink, 0.05)
        sink.clear()
    return False


def kill_group(pid: int) -> None:
    # pty.fork made the program a session and process-group leader.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        time.sleep(1)
    os.waitpid(pid, 0)


def terminal_env(rows: int, columns: int) -> dict[str, str]:
    """This environment for a program under the pty: no KASPR_ settings, a `columns`×`rows` xterm in colour."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KASPR_")}
    env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
    env.pop("NO_COLOR", None)
    return env


def user_folders(home: Path) -> dict[str, str]:
    """Environment that points platformdirs (config, data, logs) into `home`."""
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


def start_running_server(
    workdir: Path, env: dict[str, str], *options: str
) -> tuple[subprocess.Popen[str], str]:
    """`kaspr-tui mock-server` on a free port over a fresh database in `workdir`; it and its URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "kaspr_tui.cli", "mock-server", "--port", "0",
         "--db", str(workdir / "billing.db"), *options],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},
    )
    assert server.stdout is not None
    for line in server.stdout:
        match = LISTENING.search(line)
        if match:
            return server, match.group(1)
    raise SystemExit("the billing server exited before it started listening")
