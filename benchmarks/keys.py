"""Keystroke latency: `+` on the Upgrade pane's seat counter, against a minimal Textual app's counter.

Both programs run under a pseudo-terminal (80×24, TERM=xterm-256color), as a person would run
them. For every key the benchmark writes `+` to the terminal and reads what the program draws
until it has been quiet for `QUIET` seconds: the time to the last byte of that burst is the time
to the screen update, its size the bytes written for the key. Keys are `PAUSE` seconds apart, so
the Upgrade pane's quote (asked for 150 ms after a change) lands between keys and is not counted
as the key's update. The runs of the two programs are interleaved, so drift in the machine's load
touches both alike.

Then a quick burst of `BURST` presses on the seat counter, and the time from the last key until
the total due now that the server quotes for the final count is on screen.

    python benchmarks/keys.py [--keys N]

The app runs against `kaspr-tui mock-server` (payments settle at once). It reports and always
exits 0; the tests assert behaviour.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pty import (
    drain_until_exit,
    kill_group,
    read_some,
    shown_text,
    spawn,
    start_running_server,
    terminal_env,
    user_folders,
)
from _stats import format_ratio, percentile, ratio

ROWS, COLUMNS = 24, 80
PLUS = b"+"
TAB = b"\t"
QUIT_KEY = b"\x11"  # ctrl+q
QUIET = 0.05
"""Seconds without output that end a key's screen update."""
PAUSE = 0.4
"""Seconds between measured keys: longer than the quote's debounce and answer on a loopback server."""
BURST = 5
READY_TIMEOUT = 30.0
QUOTE_TIMEOUT = 5.0
ADMIN_KEY = "kt_demo_admin"
SEATS_TODAY = 10
"""Acme Corp's seats in the seed; each `+` adds one."""

BASELINE_MARKER = "Count 0"
BASELINE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.binding import Binding
    from textual.widgets import Footer, Static

    class Counter(Static, can_focus=True):
        BINDINGS = [Binding("plus", "more", "One more")]

        def on_mount(self):
            self.count = 0
            self.update("Count 0")

        def action_more(self):
            self.count += 1
            self.update(f"Count {self.count}")

    class Baseline(App):
        def compose(self):
            yield Counter()
            yield Footer()

        def on_mount(self):
            self.query_one(Counter).focus()

    Baseline().run()
    """
)


@dataclass
class Terminal:
    """A program under a pty, and everything it has drawn so far."""

    pid: int
    master: int
    output: bytearray = field(default_factory=bytearray)

    def wait_for(self, marker: str, timeout: float) -> float | None:
        """Seconds until `marker` is on screen in what was drawn from now on; None if it never is."""
        started = time.perf_counter()
        start_at = len(self.output)
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if marker in shown_text(bytes(self.output[start_at:])):
                return time.perf_counter() - started
            if not read_some(self.master, self.output, 0.01):
                return None
        return None

    def settle(self) -> None:
        """Read until the program has been quiet for `QUIET` seconds."""
        self.key_update(b"")

    def key_update(self, key: bytes) -> tuple[float, int]:
        """Write `key`; seconds to the last byte of the update it causes, and its size in bytes."""
        start_at = len(self.output)
        started = last_byte = time.perf_counter()
        if key:
            os.write(self.master, key)
        while True:
            before = len(self.output)
            if not read_some(self.master, self.output, QUIET) or len(self.output) == before:
                break
            last_byte = time.perf_counter()
        return last_byte - started, len(self.output) - start_at

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.master, QUIT_KEY)
        if not drain_until_exit(self.pid, self.master, time.perf_counter() + 10):
            kill_group(self.pid)
        os.close(self.master)


@dataclass
class Samples:
    name: str
    seconds: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def line(self) -> str:
        p50, p95 = percentile(self.seconds, 50) * 1000, percentile(self.seconds, 95) * 1000
        mean_bytes = sum(self.sizes) / len(self.sizes) if self.sizes else float("nan")
        return (f"  {self.name:22} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                f"bytes/key mean {mean_bytes:6.0f}  max {max(self.sizes, default=0)}")


def start(argv: Sequence[str], env: dict[str, str], marker: str) -> Terminal:
    pid, master = spawn(argv, env, ROWS, COLUMNS)
    terminal = Terminal(pid, master)
    if terminal.wait_for(marker, READY_TIMEOUT) is None:
        terminal.close()
        last_shown = shown_text(bytes(terminal.output[-2000:]))
        raise SystemExit(f"{argv[-1]}: {marker!r} never appeared; it showed:\n{last_shown}")
    terminal.settle()
    return terminal


def open_seat_counter(app: Terminal) -> None:
    """Billing → Upgrade (the plans are focused), then Tab twice: interval, seats."""
    os.write(app.master, b"b")
    if app.wait_for("Plan · prices", READY_TIMEOUT) is None:
        raise SystemExit("the Upgrade pane never appeared")
    app.settle()
    for _ in range(2):
        app.key_update(TAB)


def quoted_total(url: str, seats: int) -> str:
    """What the server says is due now for `seats` seats, as the pane shows it."""
    from kaspr_tui.billing.money import format_money

    request = urllib.request.Request(
        f"{url}/v1/quotes",
        data=json.dumps({"seats": seats}).encode(),
        headers={"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return format_money(json.load(response)["total_due_now"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=30, help="measured presses per program (default 30)")
    options = parser.parse_args(argv)

    env = terminal_env(ROWS, COLUMNS)

    with tempfile.TemporaryDirectory(prefix="kaspr-keys-") as workdir:
        env.update(user_folders(Path(workdir)))
        baseline_script = Path(workdir) / "baseline.py"
        baseline_script.write_text(BASELINE_APP)
        server, url = start_running_server(Path(workdir), env, "--payment-delay", "0", "--rate-limit", "100000")
        app = baseline = None
        try:
            app_command = [sys.executable, "-m", "kaspr_tui.cli", "--api-url", url, "--token", ADMIN_KEY]
            app = start(app_command, env, "Acme Corp")
            open_seat_counter(app)
            baseline = start([sys.executable, str(baseline_script)], env, BASELINE_MARKER)
            app_samples, baseline_samples = Samples("upgrade pane #seats"), Samples("baseline counter")
            for _ in range(options.keys):
                for terminal, samples in ((app, app_samples), (baseline, baseline_samples)):
                    seconds, size = terminal.key_update(PLUS)
                    samples.seconds.append(seconds)
                    samples.sizes.append(size)
                    time.sleep(PAUSE)
                    terminal.settle()  # the quote's own update, not counted for the key
            final_seats = SEATS_TODAY + options.keys + BURST
            expected = f"Total due now {quoted_total(url, final_seats)}"
            for _ in range(BURST):
                os.write(app.master, PLUS)
            quote_seconds = app.wait_for(expected, QUOTE_TIMEOUT)
        finally:
            for terminal in (app, baseline):
                if terminal is not None:
                    terminal.close()
            server.terminate()
            server.wait(10)
            if server.stdout is not None:
                server.stdout.close()

    report(app_samples, baseline_samples, quote_seconds, expected)
    return 0


def report(app: Samples, baseline: Samples, quote_seconds: float | None, expected: str) -> None:
    print(f"keystroke to screen update under a pty ({COLUMNS}×{ROWS}), {len(app.seconds)} keys each, "
          f"{PAUSE:g} s apart; an update ends after {QUIET * 1000:.0f} ms of quiet")
    print(app.line())
    print(baseline.line())
    print(format_ratio("p95, upgrade pane / baseline",
                       ratio(percentile(app.seconds, 95), percentile(baseline.seconds, 95)), 2))
    print(format_ratio("p50, upgrade pane / baseline",
                       ratio(percentile(app.seconds, 50), percentile(baseline.seconds, 50))))
    worst = max(app.sizes, default=0)
    print(f"bytes per step, upgrade pane: max {worst} (target ≤ 4096: {'met' if worst <= 4096 else 'missed'})")
    if quote_seconds is None:
        print(f"quote after a burst of {BURST} keys: {expected!r} not on screen within {QUOTE_TIMEOUT:g} s")
    else:
        verdict = "met" if quote_seconds <= 0.3 else "missed"
        print(f"last key of a burst of {BURST} → {expected!r} on screen: {quote_seconds * 1000:.0f} ms "
              f"(target ≤ 300 ms: {verdict})")


if __name__ == "__main__":
    sys.exit(main())
