"""Big invoice list: open the invoices and go to the oldest, 3,000 invoices against the seeded 12.

kaspr-tui runs under a pseudo-terminal (80×24, TERM=xterm-256color), as a person would run it,
pointed at a bundled server (in this process, on loopback) whose Acme Corp has been given
thousands of extra paid invoices (`bulk_seed.add_invoices`). On the loaded Billing page, two
timings per run, each from the key press until the screen shows the result (escape codes stripped):

- open: from the plan picker, shift+tab twice to the tabs (not timed), then → to Plan & Billing
  and, once it is drawn, shift+tab three times back from the end of the page (Download all of a
  year, Download PDF) to the table → the newest invoice's number is drawn. The section fetches
  its first page when its tab is shown, so the time covers the request. (Sent all at once, the
  keys after → would outrun the tab switch and land on the Upgrade tab.)
- to the end: End → ACME-2026-000001, the oldest, is drawn (every page is in, the cursor on it).

The baseline is the same app on the demo's 12 invoices, in the same run, runs interleaved so
drift in the machine's load touches both alike. The ratio is big / small; the target is open +
End within 3× (each step is reported too).

    python benchmarks/big_invoices.py [--runs N] [--invoices N]

It reports and always exits 0; the tests assert behaviour.
"""

from __future__ import annotations

import argparse
import os
import select
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pty import read_some
from _stats import format_ratio, ratio
from big_workspace import END_KEY, LOADED_MARKER, press_and_time, run_interleaved, wait_for
from big_workspace import Workspace as InvoiceList
from startup import COLUMNS, READY_TIMEOUT, ROWS

from kaspr_tui.server.bulk_seed import add_invoices

SEEDED_INVOICES = 12  # ACME-2026-000001 … ACME-2026-000012
BILLING_KEY = b"b"
BILLING_MARKER = "Plan & Billing"  # the Billing page's second tab, drawn once the page is up
SHIFT_TAB, RIGHT = b"\x1b[Z", b"\x1b[C"
PLAN_BILLING_MARKER = "Payment method"  # a section above the invoices: the tab is shown
OLDEST_MARKER = "ACME-2026-000001"
QUIET_SECONDS = 0.3


def invoice_number(sequence: int) -> str:
    return f"ACME-2026-{sequence:06d}"


def send_and_settle(master: int, output: bytearray, key: bytes) -> None:
    """Send `key` and read until the screen has been quiet a moment (untimed navigation)."""
    os.write(master, key)
    while select.select([master], [], [], QUIET_SECONDS)[0] and read_some(master, output, 0):
        pass


def time_opening(master: int, output: bytearray, newest: str) -> float | None:
    """→ to Plan & Billing, then shift+tab to the table once the tab is drawn, until `newest` is drawn."""
    since = len(output)
    started = time.perf_counter()
    os.write(master, RIGHT)
    deadline = started + READY_TIMEOUT
    if not wait_for(master, output, PLAN_BILLING_MARKER, since, deadline):
        return None
    os.write(master, SHIFT_TAB * 3)
    if not wait_for(master, output, newest, since, deadline):
        return None
    return time.perf_counter() - started


def open_and_end(master: int, output: bytearray, invoice_list: InvoiceList) -> tuple[float | None, float | None]:
    """On the loaded dashboard: b, to the tabs (untimed), then the timed opening and End."""
    opened = ended = None
    loaded = wait_for(master, output, LOADED_MARKER, 0, time.perf_counter() + READY_TIMEOUT)
    if loaded and press_and_time(master, output, BILLING_KEY, BILLING_MARKER) is not None:
        send_and_settle(master, output, SHIFT_TAB * 2)  # the plan picker → the tabs
        opened = time_opening(master, output, invoice_number(invoice_list.rows))
    if opened is not None:
        ended = press_and_time(master, output, END_KEY, OLDEST_MARKER)
    return opened, ended


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per list (default 5)")
    parser.add_argument("--invoices", type=int, default=3_000, help="invoices of the big list (default 3000)")
    options = parser.parse_args(argv)
    small = InvoiceList(f"{SEEDED_INVOICES} invoices", SEEDED_INVOICES)
    big = InvoiceList(f"{options.invoices:,} invoices", options.invoices)
    run_interleaved(small, big, options.runs, SEEDED_INVOICES, add_invoices, open_and_end)
    report(small, big, options.runs)
    return 0


def report(small: InvoiceList, big: InvoiceList, runs: int) -> None:
    print(f"Invoices under a pty ({COLUMNS}×{ROWS}), median of {runs} runs, seconds from the key press")
    steps = {
        "open": lambda timings: timings.open_seconds,
        "End": lambda timings: timings.end_seconds,
        "open + End": lambda timings: [a + b for a, b in zip(timings.open_seconds, timings.end_seconds, strict=True)],
    }
    for invoice_list in (small, big):
        failed = f" · {invoice_list.failures} run(s) failed" if invoice_list.failures else ""
        print(f"  {invoice_list.name}{failed}")
        for step, samples in steps.items():
            seconds = samples(invoice_list)
            print(f"    {step:11} {InvoiceList.median(seconds):.3f} s  [{', '.join(f'{s:.3f}' for s in seconds)}]")
    for step, samples in steps.items():
        target = 3 if step == "open + End" else None
        print(format_ratio(f"{step}, big / small", ratio(
            InvoiceList.median(samples(big)), InvoiceList.median(samples(small))), target))


if __name__ == "__main__":
    sys.exit(main())
