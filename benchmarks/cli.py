"""The command line: `kaspr-tui status --json`, against a bare httpx request and against the TUI.

    python benchmarks/cli.py [--runs N]

(a) Against a running server: `python -m kaspr_tui status --json` (process start to exit)
    against a bare `python -c "import httpx; httpx.get(URL + '/v1/subscription', headers=…)"`.
(b) With the embedded default (nothing configured, a fresh data folder each run, so both seed
    the database): the same command, start to exit (the bundled server started and stopped),
    against the TUI's own time to live data under an 80 by 24 pty (the dashboard shows "Acme Corp").

Runs are interleaved so drift in the machine's load touches each program alike; medians are
compared. It reports and always exits 0; the tests assert behaviour.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pty import start_running_server, terminal_env, user_folders
from _stats import format_ratio, ratio
from startup import APP_MARKER, COLUMNS, ROWS, run_under_pty

ADMIN_KEY = "kt_demo_admin"
COMMAND = [sys.executable, "-m", "kaspr_tui", "status", "--json"]


def timed(argv: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from start to exit; a failed run is an error (it measured nothing)."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode(errors='replace')}")
    return seconds


def in_fresh_home(run: object, *args: object) -> float:
    with tempfile.TemporaryDirectory(prefix="kaspr-cli-bench-") as home:
        return run(*args, user_folders(Path(home)))  # type: ignore[operator]


def command_in(env: dict[str, str], folders: dict[str, str]) -> float:
    return timed(COMMAND, {**env, **folders})


def tui_in(env: dict[str, str], folders: dict[str, str]) -> float:
    run = run_under_pty([sys.executable, "-m", "kaspr_tui"], {**env, **folders}, APP_MARKER, None)
    if run.seconds is None:
        raise SystemExit(f"the TUI never showed {APP_MARKER!r}: {run.last_output}")
    return run.seconds


def line(label: str, seconds: list[float]) -> str:
    return f"  {label:34} {statistics.median(seconds):.3f} s  [{', '.join(f'{s:.3f}' for s in seconds)}]"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per program (default 9)")
    options = parser.parse_args(argv)
    env = terminal_env(ROWS, COLUMNS)
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    with tempfile.TemporaryDirectory(prefix="kaspr-cli-bench-") as workdir:
        server, url = start_running_server(Path(workdir), env, "--rate-limit", "10000")
        try:
            bare = [
                sys.executable,
                "-c",
                f"import httpx; httpx.get({url!r} + '/v1/subscription', "
                f"headers={{'Authorization': 'Bearer {ADMIN_KEY}'}}).raise_for_status()",
            ]
            running_env = {**env, "KASPR_API_URL": url, "KASPR_API_TOKEN": ADMIN_KEY}
            baseline, running = [], []
            for _ in range(options.runs):
                baseline.append(in_fresh_home(lambda folders: timed(bare, {**env, **folders})))
                running.append(in_fresh_home(command_in, running_env))
        finally:
            server.terminate()
            server.wait(10)
            assert server.stdout is not None
            server.stdout.close()

    tui, embedded = [], []
    for _ in range(options.runs):
        tui.append(in_fresh_home(tui_in, env))
        embedded.append(in_fresh_home(command_in, env))

    print(f"kaspr-tui status --json, median of {options.runs} interleaved runs")
    print(line("bare httpx.get (running server)", baseline))
    print(line("status --json (running server)", running))
    print(line("TUI to live data (embedded)", tui))
    print(line("status --json (embedded)", embedded))
    print(
        format_ratio(
            "status --json / bare httpx.get, running server",
            ratio(statistics.median(running), statistics.median(baseline)),
            1.5,
        )
    )
    print(
        format_ratio(
            "status --json / TUI to live data, embedded",
            ratio(statistics.median(embedded), statistics.median(tui)),
            1.2,
        )
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
