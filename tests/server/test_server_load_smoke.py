"""The server load benchmark runs end to end on a tiny budget and prints what it promises.

No timing is asserted: a benchmark reports numbers, it does not judge them here.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.serial  # runs the load benchmark

ROOT = Path(__file__).resolve().parents[2]
BENCHMARK = ROOT / "benchmarks" / "server_load.py"


@pytest.fixture
def stats(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import _stats

    return _stats


def table_rows(output: str) -> dict[str, list[str]]:
    """The summary table's rows by scenario name: the columns after the name, split on spaces."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("scenario"))
    rows = {}
    for line in lines[header + 2 :]:
        if not line.strip() or "×" in line:
            break
        *name, ok, conflicts, errors, rps, p50, p99 = line.split()
        rows[" ".join(name)] = [ok, conflicts, errors, rps, p50, p99]
    return rows


def test_the_benchmark_prints_three_scenarios_and_the_ratios() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--seconds", "0.5", "--clients", "4", "--max-requests", "400"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    rows = table_rows(result.stdout)
    assert list(rows) == ["bare GET /ping", "GET /v1/subscription", "quote + checkout pairs"], result.stdout
    for name, (ok, _conflicts, errors, *_timings) in rows.items():
        assert int(ok) > 0, f"{name} completed nothing:\n{result.stdout}"
        assert errors == "0", f"{name} had unexpected errors:\n{result.stdout}"
    assert "p99(subscription) / p99(bare) = " in result.stdout
    assert "p99(quote + checkout) / p99(bare) = " in result.stdout


def test_percentiles_interpolate_between_ranks(stats: ModuleType) -> None:
    samples = list(range(1, 101))  # 1..100, shuffled order must not matter
    samples.reverse()
    assert stats.percentile(samples, 0) == 1
    assert stats.percentile(samples, 50) == 50.5
    assert stats.percentile(samples, 99) == pytest.approx(99.01)
    assert stats.percentile(samples, 100) == 100
    assert stats.percentile([7.0], 99) == 7.0
    assert math.isnan(stats.percentile([], 50))


def test_ratio_and_verdict(stats: ModuleType) -> None:
    assert stats.format_ratio("p99(a) / p99(b)", stats.ratio(6.0, 2.0), target=3) == (
        "p99(a) / p99(b) = 3.00×  (target ≤ 3×: met)"
    )
    assert stats.format_ratio("x", stats.ratio(7.0, 2.0), target=3).endswith("(target ≤ 3×: missed)")
    assert math.isnan(stats.ratio(1.0, 0.0))
    assert stats.format_ratio("x", stats.ratio(1.0, 0.0), target=3).endswith("(target ≤ 3×: no data)")
