"""Run every benchmark in this folder and print one table: benchmark, measurement, ratio, target, met?

    python -m benchmarks.run_all [--only startup,keys] [--timeout 900]

Benchmarks are found, not listed: every module here whose name does not start with `_` (helpers),
run as `python -m benchmarks.<name>` with its own defaults, one after the other (they measure
latency: running two at once would measure each other). Each prints its results through
`_stats.format_ratio` (`label = 2.10×  (target ≤ 3×: met)`) or as `label: value (target ≤ X: met)`;
those lines become the table's rows. The rest of each benchmark's output (the details behind a
number) goes to `--log FILE`, or after the table with `--verbose`. Exit status 1 when a target is
missed or a benchmark gave no data.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks._stats import format_table

HERE = Path(__file__).resolve().parent
RATIO_LINE = re.compile(
    r"^(?P<label>.+?) = (?P<ratio>[\d.]+|nan)×(?:\s+\(target ≤ (?P<target>[^:]+): (?P<verdict>met|missed|no data)\))?"
)
TARGET_LINE = re.compile(r"^(?P<label>.+?): (?P<value>[^:]+?) \(target ≤ (?P<target>[^:]+): (?P<verdict>met|missed)\)$")


@dataclass(frozen=True)
class Row:
    benchmark: str
    measurement: str
    ratio: str
    target: str
    met: str

    def cells(self) -> tuple[str, ...]:
        return (self.benchmark, self.measurement, self.ratio, self.target, self.met)


def machine() -> str:
    """`Intel(R) Xeon(R) Processor, 2 CPUs, Linux 6.1, Python 3.11.7`: what the numbers were measured on."""
    cpuinfo = Path("/proc/cpuinfo")
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
              if line.startswith("model name")] if cpuinfo.exists() else []
    model = models[0] if models else platform.processor() or platform.machine()
    system = f"{platform.system()} {platform.release()}"
    return f"{model}, {os.cpu_count()} CPUs, {system}, Python {platform.python_version()}"


def load_average() -> str:
    """The 1-minute load average: on a shared machine, how busy it was around the measurements."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


def discover() -> list[str]:
    return sorted(path.stem for path in HERE.glob("*.py") if not path.stem.startswith("_") and path.stem != "run_all")


def rows_from_output(benchmark: str, output: str) -> list[Row]:
    """The table rows a benchmark's output states: each ratio, and each value checked against a target."""
    rows = []
    for line in output.splitlines():
        line = line.strip()
        if ratio := RATIO_LINE.match(line):
            target = ratio["target"]
            rows.append(Row(benchmark, ratio["label"], f"{float(ratio['ratio']):.2f}×",
                            f"≤ {target}" if target else "—", ratio["verdict"] or "information"))
        elif checked := TARGET_LINE.match(line):
            target = f"≤ {checked['target']}"
            rows.append(Row(benchmark, checked["label"], checked["value"], target, checked["verdict"]))
    return rows


def run(benchmark: str, timeout: float) -> tuple[list[Row], str, float]:
    """Run one benchmark; its rows (one `failed` row if it stated none), its whole output, its seconds."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{benchmark}"], cwd=HERE.parent,
                              capture_output=True, text=True, timeout=timeout)
        output, outcome = done.stdout + done.stderr, f"exit status {done.returncode}"
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout.decode(errors="replace") if isinstance(expired.stdout, bytes) else expired.stdout or ""
        outcome = f"did not finish in {timeout:g} s"
    seconds = time.perf_counter() - started
    rows = rows_from_output(benchmark, output)
    if outcome != "exit status 0" or not rows:
        problem = "stated no result" if outcome == "exit status 0" else outcome
        rows.append(Row(benchmark, f"the run: {problem} (see --log)", "—", "—", "no data"))
    return rows, output, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmark names (default: all of them)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per benchmark (default 900)")
    parser.add_argument("--log", type=Path, help="write every benchmark's full output here")
    parser.add_argument("--verbose", action="store_true", help="print every benchmark's full output after the table")
    args = parser.parse_args(argv)
    names = discover()
    if args.only:
        wanted = args.only.split(",")
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            parser.error(f"no such benchmark: {', '.join(unknown)} (there are: {', '.join(names)})")
        names = [name for name in names if name in wanted]
    rows: list[Row] = []
    outputs: list[str] = []
    load_before = load_average()
    for name in names:
        print(f"running {name}…", file=sys.stderr, flush=True)
        found, output, seconds = run(name, args.timeout)
        rows += found
        outputs.append(f"==== {name} ({seconds:.0f} s)\n{output}")
    print(f"machine: {machine()}; load average {load_before} before, {load_average()} after")
    print(format_table(("benchmark", "measurement", "ratio", "target", "met?"), [row.cells() for row in rows],
                       text_columns=2))
    missed = [row for row in rows if row.met in ("missed", "no data")]
    print(f"\n{sum(row.met == 'met' for row in rows)} targets met, {len(missed)} missed or without data")
    details = "\n".join(outputs)
    if args.log:
        args.log.write_text(details)
    if args.verbose:
        print("\n" + details)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
