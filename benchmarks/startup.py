"""Startup: launch → the dashboard showing live data, against a minimal Textual app.

Every program runs under a pseudo-terminal (80×24, TERM=xterm-256color), as a person would run
it, and counts as ready when its marker appears in what it draws (escape codes stripped): the
dashboard shows the workspace name "Acme Corp" only once the account has loaded; the baseline,
a Textual app holding one Static, shows its own marker. The runs are interleaved so that drift in
the machine's load touches every program alike. Peak RSS is each process's VmHWM, read just
before it is asked to quit; the CPU time each has used when its marker appears is reported too,
as a machine busy with other work inflates it much less than the wall time.

    python benchmarks/startup.py [--runs N]

Scenarios: (a) nothing configured, so the app starts its bundled server on a fresh data folder
(which seeds); (b) the app pointed with --api-url at a server that is already running: in both,
"Acme Corp" appears with the live data; (c) a second start of (a): the data folder holds what an
earlier run left (the last known state, the bundled server's database), so the first frame is the
dashboard marked "as of … · updating…" (its marker), before the live data.
It reports and always exits 0; the tests assert behaviour.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pty import (
    ESCAPES,
    drain_until_exit,
    kill_group,
    read_some,
    spawn,
    start_running_server,
    terminal_env,
    user_folders,
)
from _stats import format_ratio, ratio

APP_MARKER = "Acme Corp"
# In the footer, drawn from the app's first frame on: launch → first paint, before any data.
APP_FIRST_PAINT_MARKER = "Quit"
# In the header, only while the last known state is on screen: the first frame of scenario (c).
LAST_KNOWN_MARKER = "updating…"
BASELINE_MARKER = "Baseline ready"
ROWS, COLUMNS = 24, 80
READY_TIMEOUT = 60.0
EXIT_TIMEOUT = 15.0
QUIT_KEY = b"\x11"  # ctrl+q
BASELINE_APP = textwrap.dedent(
    f"""
    from textual.app import App
    from textual.widgets import Static

    class Baseline(App):
        def compose(self):
            yield Static({BASELINE_MARKER!r})

    Baseline().run()
    """
)


@dataclass
class Run:
    seconds: float | None  # None: the marker never appeared
    first_paint_seconds: float | None
    cpu_seconds: float | None  # the launched process's CPU time (user + system) when the marker appeared
    peak_rss_kib: int  # the launched process
    children_peak_rss_kib: int  # its child processes (the embedded server), summed
    left_behind: list[int] = field(default_factory=list)  # pids still alive after quitting
    last_output: str = ""  # the end of what it showed, escape codes stripped


@dataclass
class Program:
    name: str
    argv: Sequence[str]
    marker: str
    env: dict[str, str]
    first_paint_marker: str | None = None
    fresh_home: bool = False  # a new, empty set of user folders for every run
    prepare_home: Callable[[Path], None] | None = None  # fills the new user folders before the run
    runs: list[Run] = field(default_factory=list)

    def median_seconds(self, attribute: str = "seconds") -> float:
        times = [getattr(run, attribute) for run in self.runs]
        measured = [value for value in times if value is not None]
        return statistics.median(measured) if measured else float("nan")

    def median_rss(self, attribute: str) -> float:
        values = [getattr(run, attribute) for run in self.runs if run.seconds is not None]
        return statistics.median(values) if values else float("nan")


def measure(program: Program) -> Run:
    with tempfile.TemporaryDirectory(prefix="kaspr-startup-") as home:
        env = dict(program.env)
        if program.fresh_home:
            env.update(user_folders(Path(home)))
            if program.prepare_home is not None:
                program.prepare_home(Path(home))
        run = run_under_pty(program.argv, env, program.marker, program.first_paint_marker)
    if run.seconds is None:
        print(f"  ! {program.name}: no {program.marker!r} within {READY_TIMEOUT:g} s; it showed:")
        print(run.last_output)
    return run


def run_under_pty(
    argv: Sequence[str], env: dict[str, str], marker: str, first_paint_marker: str | None
) -> Run:
    started = time.perf_counter()
    pid, master = spawn(argv, env, ROWS, COLUMNS)
    seconds = first_paint = cpu = None
    output = bytearray()
    try:
        deadline = started + READY_TIMEOUT
        while time.perf_counter() < deadline:
            if not read_some(master, output, deadline - time.perf_counter()):
                break
            shown = ESCAPES.sub(b"", bytes(output))
            if first_paint is None and first_paint_marker and first_paint_marker.encode() in shown:
                first_paint = time.perf_counter() - started
            if marker.encode() in shown:
                seconds = time.perf_counter() - started
                cpu = cpu_seconds(pid)
                break
        children = child_pids(pid)
        peak, children_peak = vm_hwm_kib(pid), sum(vm_hwm_kib(child) for child in children)
        with contextlib.suppress(OSError):  # it may have exited already
            os.write(master, QUIT_KEY)
        exited = drain_until_exit(pid, master, time.perf_counter() + EXIT_TIMEOUT)
        if not exited:
            kill_group(pid)
    finally:
        os.close(master)
    left_behind = [child for child in children if still_running_after(child, EXIT_TIMEOUT)]
    for child in left_behind:
        os.kill(child, signal.SIGKILL)
    last_output = ESCAPES.sub(b"", bytes(output[-2000:])).decode(errors="replace")
    return Run(seconds, first_paint, cpu, peak, children_peak, left_behind, last_output)


def child_pids(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def cpu_seconds(pid: int) -> float | None:
    """The CPU time `pid` has used (user + system, all its threads): on a machine busy with other
    work, the wall time to the marker grows with the load, the CPU time much less."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def still_running_after(pid: int, within: float) -> bool:
    """Whether `pid` is still running after waiting up to `within` seconds (zombies are gone)."""
    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        if state == "Z":
            return False
        time.sleep(0.05)
    return True


def last_known_keeper(
    url: str, app_options: dict[str, object] | None = None, database: Path | None = None
) -> Callable[[Path], None]:
    """Something that writes, into a home's data folder, what an earlier run of the app with these
    command-line options (none: nothing configured, the bundled server) would have left there: the
    last known state (Acme Corp's, fetched once from `url`) and, given `database`, a copy of it as
    the bundled server's database (so its start is a second start too, with nothing to seed)."""
    import asyncio

    from kaspr_tui.api import BillingClient
    from kaspr_tui.config import DEMO_ADMIN_KEY, default_data_dir, resolve_settings
    from kaspr_tui.state import fetch_account, last_known_path, save_last_known

    async def fetch() -> object:
        async with BillingClient(url, DEMO_ADMIN_KEY) as client:
            return await fetch_account(client, now=datetime.now().astimezone())

    state = asyncio.run(fetch())

    def keep(home: Path) -> None:
        saved_environment = dict(os.environ)
        os.environ.update(user_folders(home))
        try:
            settings = resolve_settings(cli=app_options, env={})  # what the app resolves
            save_last_known(settings, state)  # type: ignore[arg-type]
            assert last_known_path(settings).is_file()
            if database is not None:
                with sqlite3.connect(database) as source, sqlite3.connect(default_data_dir() / "billing.db") as copy:
                    source.backup(copy)  # consistent while the server runs
        finally:
            os.environ.clear()
            os.environ.update(saved_environment)

    return keep


def compile_the_package() -> None:
    """Write kaspr_tui's bytecode, as an install has it (pip compiles it). Where
    PYTHONDONTWRITEBYTECODE is set (this machine sets it) and the package runs from a source tree,
    the app and its server would otherwise compile each of their modules from source on every run
    (~0.05 s of CPU each), which no installed kaspr-tui does and the baseline (Textual) never pays."""
    import compileall

    import kaspr_tui

    compileall.compile_dir(Path(kaspr_tui.__file__).parent, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per program (default 5)")
    options = parser.parse_args(argv)

    compile_the_package()
    base_env = terminal_env(ROWS, COLUMNS)
    app = [sys.executable, "-m", "kaspr_tui.cli"]

    with tempfile.TemporaryDirectory(prefix="kaspr-startup-") as workdir:
        baseline_script = Path(workdir) / "baseline.py"
        baseline_script.write_text(BASELINE_APP)
        server, url = start_running_server(Path(workdir), base_env)
        try:
            programs = [
                Program("baseline", [sys.executable, str(baseline_script)], BASELINE_MARKER,
                        base_env, fresh_home=True),
                Program("embedded", app, APP_MARKER, base_env, APP_FIRST_PAINT_MARKER,
                        fresh_home=True),
                Program("running server", [*app, "--api-url", url, "--token", "kt_demo_admin"],
                        APP_MARKER, base_env, APP_FIRST_PAINT_MARKER, fresh_home=True),
                Program("last known", app, LAST_KNOWN_MARKER, base_env, fresh_home=True,
                        prepare_home=last_known_keeper(url, database=Path(workdir) / "billing.db")),
            ]
            for _ in range(options.runs):
                for program in programs:
                    program.runs.append(measure(program))
        finally:
            server.terminate()
            server.wait(10)
            server.stdout.close()

    report(programs, options.runs)
    return 0


def report(programs: Sequence[Program], runs: int) -> None:
    baseline, embedded, running, last_known = programs
    print(f"startup to live data under a pty ({COLUMNS}×{ROWS}), median of {runs} runs")
    for program in programs:
        times = ", ".join(
            "—" if run.seconds is None else f"{run.seconds:.3f}" for run in program.runs
        )
        rss = f"peak RSS {program.median_rss('peak_rss_kib') / 1024:.1f} MiB"
        children = program.median_rss("children_peak_rss_kib")
        if children:
            rss += f" (+ server {children / 1024:.1f} MiB)"
        print(f"  {program.name:15} {program.median_seconds():.3f} s  [{times}]  {rss}")
        print(f"  {'':15} CPU to the marker {program.median_seconds('cpu_seconds'):.2f} s (this process, not a server)")
        if program.first_paint_marker:
            first_paint = program.median_seconds("first_paint_seconds")
            print(f"  {'':15} first paint (before data) {first_paint:.3f} s")

    def time_ratio(program: Program) -> float:
        return ratio(program.median_seconds(), baseline.median_seconds())

    def rss_ratio(*values: float) -> float:
        return ratio(sum(values), baseline.median_rss("peak_rss_kib"))

    def cpu_ratio(program: Program) -> float:
        return ratio(program.median_seconds("cpu_seconds"), baseline.median_seconds("cpu_seconds"))

    app_rss = embedded.median_rss("peak_rss_kib")
    server_rss = embedded.median_rss("children_peak_rss_kib")
    # The targets of issue 16.
    print(format_ratio("first frame, last known dashboard / baseline", time_ratio(last_known), 1.3))
    print(format_ratio("live data, running server / baseline", time_ratio(running), 2.0))
    print(format_ratio("live data, embedded server / baseline", time_ratio(embedded), 2.5))
    print(format_ratio("peak RSS, app + server (embedded) / baseline",
                       rss_ratio(app_rss, server_rss), 2.5))
    # The app's own CPU time to the same markers: what the load of a shared machine inflates least.
    print(format_ratio("app CPU, first frame, last known / baseline", cpu_ratio(last_known)))
    print(format_ratio("app CPU, live data, running server / baseline", cpu_ratio(running)))
    print(format_ratio("app CPU, live data, embedded / baseline", cpu_ratio(embedded)))
    print(format_ratio("peak RSS, app (embedded) / baseline", rss_ratio(app_rss)))
    print(format_ratio("peak RSS, app (running server) / baseline",
                       rss_ratio(running.median_rss("peak_rss_kib"))))
    left = sum(len(run.left_behind) for program in programs for run in program.runs)
    print(f"processes left behind after quitting: {left}")


if __name__ == "__main__":
    sys.exit(main())
