"""Statistics and printing shared by the benchmarks: percentiles, a summary per scenario, a plain table.

A benchmark measures a baseline in the same run and prints ratios against it; nothing here judges a
number, it only reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0–100) by linear interpolation between ranks; NaN for no samples."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0 and 100, not {q}")
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class Summary:
    """What one scenario did: successful operations, their latency, and what went otherwise."""

    name: str
    ok: int
    requests: int
    seconds: float
    p50: float
    """Seconds, over successful operations only."""
    p99: float
    expected_conflicts: int = 0
    """Answers the scenario provokes on purpose (e.g. 409s when many clients share one workspace)."""
    errors: int = 0

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else math.nan


def summarize(
    name: str,
    latencies: Sequence[float],
    requests: int,
    seconds: float,
    expected_conflicts: int = 0,
    errors: int = 0,
) -> Summary:
    return Summary(
        name=name,
        ok=len(latencies),
        requests=requests,
        seconds=seconds,
        p50=percentile(latencies, 50),
        p99=percentile(latencies, 99),
        expected_conflicts=expected_conflicts,
        errors=errors,
    )


def ratio(value: float, baseline: float) -> float:
    """`value / baseline`, NaN when either is missing or the baseline is zero."""
    if math.isnan(value) or math.isnan(baseline) or baseline <= 0:
        return math.nan
    return value / baseline


def format_ratio(label: str, value: float, target: float | None = None) -> str:
    """`label = 2.10×`, with `(target ≤ 3×: met)` when a target is given."""
    text = f"{label} = {value:.2f}×"
    if target is not None:
        verdict = "no data" if math.isnan(value) else ("met" if value <= target else "missed")
        text += f"  (target ≤ {target:g}×: {verdict})"
    return text


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, text_columns: int = 1) -> str:
    """A plain-text table: the first `text_columns` left-aligned, the others right-aligned (numbers)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            str(cell).ljust(width) if index < text_columns else str(cell).rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def summary_table(summaries: Sequence[Summary]) -> str:
    """One row per scenario: counts, request rate, and p50/p99 latency in milliseconds."""
    headers = ("scenario", "ok", "conflicts", "errors", "req/s", "p50 ms", "p99 ms")
    rows = [
        (
            summary.name,
            str(summary.ok),
            str(summary.expected_conflicts),
            str(summary.errors),
            f"{summary.requests_per_second:.0f}",
            f"{summary.p50 * 1000:.2f}",
            f"{summary.p99 * 1000:.2f}",
        )
        for summary in summaries
    ]
    return format_table(headers, rows)
