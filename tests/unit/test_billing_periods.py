import calendar
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaspr_tui.billing.periods import (
    add_months,
    credit_period_bounds,
    next_period_end,
    period_seconds,
    remaining_seconds,
)

DAY = 86_400


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "anchor_day", "expected"),
    [
        (utc(2026, 1, 31), 1, None, utc(2026, 2, 28)),  # clamps to the month's end
        (utc(2028, 1, 31), 1, None, utc(2028, 2, 29)),  # leap year
        (utc(2026, 2, 28), 1, 31, utc(2026, 3, 31)),  # the anchor comes back
        (utc(2026, 3, 31), -1, None, utc(2026, 2, 28)),
        (utc(2026, 11, 15, 9, 30), 3, None, utc(2027, 2, 15, 9, 30)),  # year rollover, time kept
        (utc(2026, 5, 31), 12, None, utc(2027, 5, 31)),
    ],
)
def test_add_months(start, months, anchor_day, expected):
    assert add_months(start, months, anchor_day) == expected


def test_a_month_end_anchor_survives_a_short_february():
    anchor = utc(2026, 1, 31)
    ends = [add_months(anchor, months, anchor.day) for months in range(1, 4)]
    assert ends == [utc(2026, 2, 28), utc(2026, 3, 31), utc(2026, 4, 30)]


def test_next_period_end():
    assert next_period_end(utc(2026, 1, 31), "month") == utc(2026, 2, 28)
    assert next_period_end(utc(2028, 2, 29), "year") == utc(2029, 2, 28)
    assert next_period_end(utc(2026, 2, 28), "month", anchor_day=31) == utc(2026, 3, 31)


def test_period_and_remaining_seconds():
    assert period_seconds(utc(2026, 1, 1), utc(2026, 2, 1)) == 31 * DAY
    assert period_seconds(utc(2026, 1, 1), utc(2027, 1, 1)) == 365 * DAY
    assert remaining_seconds(utc(2026, 1, 21), utc(2026, 2, 1)) == 11 * DAY
    assert remaining_seconds(utc(2026, 2, 2), utc(2026, 2, 1)) == 0  # already over


@pytest.mark.parametrize(
    ("anchor", "now", "expected"),
    [
        # An annual plan still resets credits monthly, on the anchor's day.
        (utc(2026, 1, 15, 10), utc(2026, 7, 20), (utc(2026, 7, 15, 10), utc(2026, 8, 15, 10))),
        # Anchored on the 31st: February's period ends on the 28th, March's on the 31st.
        (utc(2026, 1, 31, 10), utc(2026, 3, 15), (utc(2026, 2, 28, 10), utc(2026, 3, 31, 10))),
        # On the anchor day but before the anchor's time: still the previous period.
        (utc(2026, 1, 15, 10), utc(2026, 3, 15, 9), (utc(2026, 2, 15, 10), utc(2026, 3, 15, 10))),
        # Exactly at the boundary: the new period.
        (utc(2026, 1, 15, 10), utc(2026, 3, 15, 10), (utc(2026, 3, 15, 10), utc(2026, 4, 15, 10))),
    ],
)
def test_credit_period_bounds(anchor, now, expected):
    assert credit_period_bounds(anchor, now) == expected


@given(
    anchor=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    offset=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650)),
)
def test_the_credit_period_always_contains_now_and_lasts_a_month(anchor, offset):
    now = anchor + offset
    start, end = credit_period_bounds(anchor, now)
    assert start <= now < end
    assert timedelta(days=28) <= end - start <= timedelta(days=31)
    days_in_month = calendar.monthrange(start.year, start.month)[1]
    assert start.day == min(anchor.day, days_in_month)
    assert start.time() == anchor.time()
