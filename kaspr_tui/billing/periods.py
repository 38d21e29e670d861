"""Billing periods on the calendar. Every datetime is timezone-aware UTC."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from kaspr_tui.billing.catalog import MONTHS_PER_YEAR, Interval


def add_months(dt: datetime, months: int, anchor_day: int | None = None) -> datetime:
    """`dt` moved by whole calendar months, on `anchor_day` (default: `dt`'s day).

    A day the target month lacks clamps to its last day, and the anchor comes back once a month is
    long enough again: anchored on the 31st, Jan 31 → Feb 28 → Mar 31.
    """
    month_index = dt.year * MONTHS_PER_YEAR + (dt.month - 1) + months
    year, month = divmod(month_index, MONTHS_PER_YEAR)
    month += 1
    day = min(anchor_day or dt.day, calendar.monthrange(year, month)[1])
    return dt.replace(year=year, month=month, day=day)


def next_period_end(start: datetime, interval: Interval, anchor_day: int | None = None) -> datetime:
    """Where a period that starts at `start` ends: one calendar month or one year later."""
    return add_months(start, 1 if interval == "month" else MONTHS_PER_YEAR, anchor_day)


def period_seconds(start: datetime, end: datetime) -> int:
    """Whole seconds from `start` to `end` (negative if `end` comes first)."""
    return (end - start) // timedelta(seconds=1)


def remaining_seconds(now: datetime, end: datetime) -> int:
    """Whole seconds left until `end`; 0 once it has passed."""
    return max(0, period_seconds(now, end))


def credit_period_bounds(anchor: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The monthly credit period that contains `now`: `start <= now < end`.

    Credits reset every month on both intervals, on the subscription's billing anchor.
    """
    months = (now.year - anchor.year) * MONTHS_PER_YEAR + (now.month - anchor.month)
    start = add_months(anchor, months, anchor.day)
    if start > now:
        months -= 1
        start = add_months(anchor, months, anchor.day)
    return start, add_months(anchor, months + 1, anchor.day)

