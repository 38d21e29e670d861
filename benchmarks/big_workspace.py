"""Big workspace: open the Workspace and scroll to its last member, 5,000 members against 10.

kaspr-tui runs under a pseudo-terminal (80×24, TERM=xterm-256color), as a person would run it,
pointed at a bundled server (in this process, on loopback) whose Acme Corp has been given
thousands of extra members. Two timings per run, each from a key press until the screen shows
the result (escape codes stripped):

- open: `w` on the loaded dashboard → the newest member's row is drawn (the first page is in);
- to the end: End → the oldest member, Alice, is drawn (every page is in, the cursor on the last).

The baseline is the same app on a workspace of 10, in the same run, runs interleaved so drift in
the machine's load touches both alike. The ratio is big / small (target ≤ 3× for opening; the
walk to the end is reported too, and grows with the pages it must fetch).

    python benchmarks/big_workspace.py [--runs N] [--members N]

It reports and always exits 0; the tests assert behaviour.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pty import (
    ESCAPES,
    drain_until_exit,
    kill_group,
    read_some,
    shown_text,
    spawn,
    terminal_env,
    user_folders,
)
from _stats import format_ratio, ratio
from startup import COLUMNS, EXIT_TIMEOUT, QUIT_KEY, READY_TIMEOUT, ROWS

from kaspr_tui.server.bulk_seed import add_members, workspace_id_named
from kaspr_tui.server.context import ServerContext
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer

LOADED_MARKER = "Acme Corp"  # the dashboard shows the workspace's name once the account is in
NEWEST_MARKER = "@bulk.example"  # the bulk members are the newest: the first row
LAST_MARKER = "alice@acme.example"  # the first member ever: the last row
WORKSPACE_KEY = b"w"
END_KEY = b"\x1b[F"  # what xterm sends for End
SEEDED_ROWS = 8  # Acme Corp's 7 members and 1 invitation


@dataclass
class Workspace:
    """One list (here a workspace's members; big_invoices' invoices): its size, URL, timings per run."""

    name: str
    rows: int
    url: str = ""
    open_seconds: list[float] = field(default_factory=list)
    end_seconds: list[float] = field(default_factory=list)
    failures: int = 0

    @staticmethod
    def median(samples: list[float]) -> float:
        return statistics.median(samples) if samples else float("nan")


AddRows = Callable[[ServerContext, str, int], None]
"""`add_rows(context, workspace_id, count)`: bulk items for a workspace (bulk_seed)."""
Steps = Callable[[int, bytearray, Workspace], tuple[float | None, float | None]]
"""`steps(master, output, timings)`: from launch, (seconds to open the list, to reach its end)."""


def seeded_server(workdir: Path, rows: int, seeded_rows: int, add_rows: AddRows) -> LiveServer:
    """A bundled server whose Acme Corp lists `rows` items, the seed's `seeded_rows` and bulk ones
    (rate limit out of the way)."""
    server = LiveServer(ServerSettings(db_path=workdir / f"billing-{rows}.db", payment_delay=0, rate_limit=100_000))
    server.__enter__()
    add_rows(server.context, workspace_id_named(server.context, "Acme Corp"), rows - seeded_rows)
    return server


def run_interleaved(small: Workspace, big: Workspace, runs: int, seeded_rows: int, add_rows: AddRows,
                    steps: Steps) -> None:
    """A seeded server per list, then `runs` runs of each, in turn (drift touches both alike)."""
    env = terminal_env(ROWS, COLUMNS)
    with tempfile.TemporaryDirectory(prefix="kaspr-biglist-") as workdir, contextlib.ExitStack() as servers:
        for timings in (small, big):
            seed_started = time.perf_counter()
            server = seeded_server(Path(workdir), timings.rows, seeded_rows, add_rows)
            servers.callback(server.__exit__, None, None, None)
            timings.url = server.url
            print(f"seeded {timings.name} in {time.perf_counter() - seed_started:.2f} s")
        for _ in range(runs):
            for timings in (small, big):
                measure(timings, env, steps)


def measure(timings: Workspace, env: dict[str, str], steps: Steps) -> None:
    """One run of kaspr-tui against `timings.url` under a pty: `steps` times it, then it quits."""
    argv = [sys.executable, "-m", "kaspr_tui.cli", "--api-url", timings.url, "--token", ADMIN_KEY]
    with tempfile.TemporaryDirectory(prefix="kaspr-biglist-") as home:
        pid, master = spawn(argv, {**env, **user_folders(Path(home))}, ROWS, COLUMNS)
        output = bytearray()
        try:
            opened, ended = steps(master, output, timings)
            with contextlib.suppress(OSError):
                os.write(master, QUIT_KEY)
            if not drain_until_exit(pid, master, time.perf_counter() + EXIT_TIMEOUT):
                kill_group(pid)
        finally:
            os.close(master)
    if opened is None or ended is None:
        timings.failures += 1
        print(f"  ! {timings.name}: a step never showed its result; the end of the output:\n"
              f"{shown_text(bytes(output[-1500:]))}")
        return
    timings.open_seconds.append(opened)
    timings.end_seconds.append(ended)


def wait_for(master: int, output: bytearray, marker: str, since: int, deadline: float) -> bool:
    """Read until `marker` is drawn in what came after byte `since` of the output."""
    while time.perf_counter() < deadline:
        if marker.encode() in ESCAPES.sub(b"", bytes(output[since:])):
            return True
        if not read_some(master, output, min(0.5, deadline - time.perf_counter())):
            return False
    return False


def press_and_time(master: int, output: bytearray, key: bytes, marker: str) -> float | None:
    # Let the frame of the last step finish drawing, so the marker is searched in new output only.
    while select.select([master], [], [], 0.05)[0] and read_some(master, output, 0):
        pass
    since = len(output)
    started = time.perf_counter()
    os.write(master, key)
    if wait_for(master, output, marker, since, started + READY_TIMEOUT):
        return time.perf_counter() - started
    return None


def open_and_end(master: int, output: bytearray, _: Workspace) -> tuple[float | None, float | None]:
    """`w` on the loaded dashboard → the newest member is drawn; End → the oldest is drawn."""
    opened = ended = None
    if wait_for(master, output, LOADED_MARKER, 0, time.perf_counter() + READY_TIMEOUT):
        opened = press_and_time(master, output, WORKSPACE_KEY, NEWEST_MARKER)
    if opened is not None:
        ended = press_and_time(master, output, END_KEY, LAST_MARKER)
    return opened, ended


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per workspace (default 5)")
    parser.add_argument("--members", type=int, default=5_000, help="rows of the big workspace (default 5000)")
    options = parser.parse_args(argv)
    small = Workspace("10 members", 10)
    big = Workspace(f"{options.members:,} members", options.members)
    run_interleaved(small, big, options.runs, SEEDED_ROWS, add_members, open_and_end)
    report(small, big, options.runs)
    return 0


def report(small: Workspace, big: Workspace, runs: int) -> None:
    print(f"Workspace under a pty ({COLUMNS}×{ROWS}), median of {runs} runs, seconds from the key press")
    for workspace in (small, big):
        opened = ", ".join(f"{seconds:.3f}" for seconds in workspace.open_seconds)
        ended = ", ".join(f"{seconds:.3f}" for seconds in workspace.end_seconds)
        print(f"  {workspace.name:15} open {Workspace.median(workspace.open_seconds):.3f} s [{opened}]")
        print(f"  {'':15} End  {Workspace.median(workspace.end_seconds):.3f} s [{ended}]")
        if workspace.failures:
            print(f"  {'':15} {workspace.failures} run(s) failed")

    def total(workspace: Workspace) -> float:
        return Workspace.median([a + b for a, b in zip(workspace.open_seconds, workspace.end_seconds, strict=True)])

    print(format_ratio("open the Workspace, big / small", ratio(
        Workspace.median(big.open_seconds), Workspace.median(small.open_seconds)), 3))
    print(format_ratio("End to the last member, big / small", ratio(
        Workspace.median(big.end_seconds), Workspace.median(small.end_seconds))))
    print(format_ratio("open + End, big / small", ratio(total(big), total(small)), 3))


if __name__ == "__main__":
    sys.exit(main())
