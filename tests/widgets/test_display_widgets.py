"""The I/O-free widgets: the credit meter and the problem banner, in a bare app."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.app import App, ComposeResult

from kaspr_tui.billing.formatting import format_card, format_date
from kaspr_tui.widgets.credit_meter import (
    LEFT_CELL,
    USED_CELL,
    CreditMeter,
    filled_cells,
)
from kaspr_tui.widgets.problem_banner import ProblemBanner


class OneWidget(App[None]):
    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_problem_banner_retry(self, message: ProblemBanner.Retry) -> None:
        self.messages.append(message)


def test_dates_are_absolute_and_read_in_utc() -> None:
    # 23:30 in New York on 30 Nov is already 1 Dec in UTC, the API's day.
    late_evening = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)
    assert format_date(late_evening) == "1 Dec 2026"
    assert format_date(date(2027, 3, 1)) == "1 Mar 2027"


def test_cards_show_brand_and_last_four_only() -> None:
    assert format_card("visa", "4242") == "Visa •••• 4242"
    assert format_card("amex", "0005") == "American Express •••• 0005"


@pytest.mark.parametrize(
    ("used", "total", "width", "expected"),
    [
        (0, 100, 10, 0),  # nothing used: an empty bar
        (100, 100, 10, 10),  # all gone: a full bar
        (50, 100, 10, 5),
        (1, 10_000, 10, 1),  # a little use still shows
        (9_999, 10_000, 10, 9),  # a little left still shows
        (5, 0, 10, 0),  # no allowance at all: nothing to fill
    ],
)
def test_the_bar_never_hides_a_little_use_or_a_little_left(used: int, total: int, width: int, expected: int) -> None:
    assert filled_cells(used, total, width) == expected


async def test_meter_shows_used_left_total_and_reset_date_on_two_lines_when_wide() -> None:
    meter = CreditMeter("Phone credits", used=1_234, remaining=766, resets_on=date(2026, 12, 1))
    app = OneWidget(meter)
    async with app.run_test(size=(80, 6)):
        lines = meter.render().plain.split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("Phone credits") and lines[0].endswith("766 left of 2,000")
    assert lines[1].endswith("1,234 used · resets 1 Dec 2026")
    bar = lines[1].split("  ")[0]
    assert set(bar) == {USED_CELL, LEFT_CELL}
    # 1,234 of 2,000 is 62 % used: the filled part says so, whatever the width.
    assert bar.count(USED_CELL) == round(len(bar) * 1_234 / 2_000)


async def test_meter_gives_each_fact_a_line_when_narrow_so_nothing_wraps() -> None:
    meter = CreditMeter("Direct Email credits", used=150, remaining=1_850, resets_on=date(2026, 12, 1))
    app = OneWidget(meter)
    async with app.run_test(size=(30, 8)):
        lines = meter.render().plain.split("\n")
        assert meter.size.height == len(lines)
    assert lines == [
        "Direct Email credits",
        lines[1],
        "1,850 left of 2,000",
        "150 used",
        "resets 1 Dec 2026",
    ]
    assert all(len(line) <= 30 for line in lines)


async def test_meter_updates_and_marks_an_exhausted_allowance() -> None:
    meter = CreditMeter("Export credits", used=10, remaining=90)
    app = OneWidget(meter)
    async with app.run_test(size=(80, 4)) as pilot:
        assert not meter.has_class("-exhausted")
        meter.show_balance(used=100, remaining=0, resets_on=date(2026, 12, 1))
        await pilot.pause()
        assert meter.has_class("-exhausted")
        assert "0 left of 100" in meter.render().plain


async def test_problem_banner_is_hidden_until_there_is_a_problem_and_retry_posts_a_message() -> None:
    banner = ProblemBanner()
    app = OneWidget(banner)
    async with app.run_test(size=(80, 20)) as pilot:
        assert not banner.showing and banner.region.height == 0
        banner.show_blocking("Cannot reach the billing server", "Check your network, then retry.")
        await pilot.pause()
        assert banner.showing and banner.region.height > 0
        await pilot.click("#retry")
        await pilot.pause()
        assert len(app.messages) == 1
        banner.clear()
        await pilot.pause()
        assert not banner.showing and banner.region.height == 0


@pytest.mark.parametrize("shape", ["blocking", "stale"])
async def test_problem_banner_offers_quit_instead_of_retry_for_a_problem_retrying_cannot_fix(shape: str) -> None:
    banner = ProblemBanner()
    app = OneWidget(banner)
    async with app.run_test(size=(80, 20)) as pilot:
        if shape == "blocking":
            banner.show_blocking("The API key was refused", "Run `kaspr-tui login`.", can_retry=False)
        else:
            banner.show_stale("10:42", "The API key was refused", "Run `kaspr-tui login`.", can_retry=False)
        await pilot.pause()
        assert "Retry" not in str(banner.query_one("#problem-detail").render())
        assert app.query_one("#retry").region.height == 0
        assert app.query_one("#quit").region.height > 0
        await pilot.click("#quit")
        await pilot.pause()
    assert app.return_code == 0 and not app.messages
