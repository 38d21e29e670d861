"""The seat counter: − and + by key and by mouse, typed numbers, and the reason shown at a bound."""

from __future__ import annotations

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Static

from kaspr_tui.widgets.seat_counter import SeatCounter
from tests.helpers.widgets import (
    ACME_MIN_REASON,
    STARTER_MAX_REASON,
    OneWidgetApp,
    licenses,
)

# Acme's licenses run from 8 (its members and invitations) to 50 (the Starter plan's maximum).


def shown_reason(counter: SeatCounter) -> str | None:
    """The reason under the counter as a user sees it, or None when nothing is shown."""
    reason = counter.query_one(".reason", Static)
    if not reason.display or reason.region.height == 0:
        return None
    return str(reason.content)


def count_on_screen(counter: SeatCounter) -> str:
    return str(counter.query_one(".count", Static).content).strip()


@pytest.mark.parametrize(
    ("key", "expected"),
    [("minus", 11), ("left", 11), ("down", 11), ("plus", 13), ("right", 13), ("up", 13)],
)
async def test_each_key_moves_the_count_by_one(key: str, expected: int) -> None:
    app = OneWidgetApp(licenses(12))
    async with app.run_test() as pilot:
        await pilot.press(key)
        assert app.widget.value == expected
        assert count_on_screen(app.widget) == str(expected)
        assert app.changes() == [expected]


async def test_the_buttons_work_with_the_mouse_and_leave_the_keys_working() -> None:
    app = OneWidgetApp(licenses(12))
    async with app.run_test() as pilot:
        app.query_one("#next").focus()
        await pilot.click(".increment")
        await pilot.click(".increment")
        await pilot.click(".decrement")
        assert app.widget.value == 13
        # A click on a button lands on the counter: it has the focus, so the keys go on from there.
        assert app.widget.has_focus
        await pilot.press("plus")
        assert app.widget.value == 14
        assert app.changes() == [13, 14, 13, 14]


async def test_pressing_against_the_lower_bound_says_why_until_the_count_moves_off_it() -> None:
    app = OneWidgetApp(licenses(9))
    async with app.run_test() as pilot:
        await pilot.press("minus")
        assert app.widget.value == 8
        assert shown_reason(app.widget) is None  # reaching the bound is not pressing against it
        await pilot.press("minus")
        assert app.widget.value == 8
        assert shown_reason(app.widget) == ACME_MIN_REASON
        assert app.bounds_reached() == [("min", ACME_MIN_REASON)]
        assert app.changes() == [8]  # the press against the bound changed nothing
        await pilot.press("plus")
        assert shown_reason(app.widget) is None


async def test_the_minus_button_at_the_bound_shows_the_reason_too() -> None:
    app = OneWidgetApp(licenses(8))
    async with app.run_test() as pilot:
        await pilot.click(".decrement")
        assert shown_reason(app.widget) == ACME_MIN_REASON
        assert app.bounds_reached() == [("min", ACME_MIN_REASON)]


async def test_the_reason_sits_right_under_the_counter_and_wraps_to_its_width() -> None:
    app = OneWidgetApp(licenses(8))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.press("minus")
        reason = app.widget.query_one(".reason")
        stepper = app.widget.query_one(".stepper")
        assert reason.region.y == stepper.region.bottom
        assert reason.region.height >= 2  # longer than one 56-cell line: wrapped, not cut off
        assert reason.region.right <= app.widget.region.right


async def test_typing_past_the_top_clamps_and_says_why() -> None:
    app = OneWidgetApp(licenses(12))
    async with app.run_test() as pilot:
        await pilot.press("7", "5", "enter")
        assert app.widget.value == 50
        assert shown_reason(app.widget) == STARTER_MAX_REASON
        assert app.bounds_reached() == [("max", STARTER_MAX_REASON)]
        await pilot.press("minus")
        assert shown_reason(app.widget) is None


async def test_typing_under_the_bottom_clamps_and_says_why() -> None:
    app = OneWidgetApp(licenses(12))
    async with app.run_test() as pilot:
        await pilot.press("3", "enter")
        assert app.widget.value == 8
        assert shown_reason(app.widget) == ACME_MIN_REASON


async def test_a_typed_number_within_the_bounds_gives_no_reason() -> None:
    app = OneWidgetApp(licenses(12))
    async with app.run_test() as pilot:
        await pilot.press("5", "0", "enter")
        assert app.widget.value == 50
        assert shown_reason(app.widget) is None
        assert app.bounds_reached() == []


async def test_the_typed_number_shows_in_place_of_the_count() -> None:
    app = OneWidgetApp(licenses(12))
    async with app.run_test() as pilot:
        await pilot.press("2", "7")
        assert "27" in count_on_screen(app.widget)
        assert app.widget.value == 12


async def test_set_bounds_clamps_the_count_into_the_new_bounds() -> None:
    app = OneWidgetApp(licenses(30))
    async with app.run_test() as pilot:
        app.widget.set_bounds(8, 20, max_reason="The Business plan allows at most 20 licenses.")
        await pilot.pause()
        assert app.widget.value == 20
        app.widget.set_bounds(25, 50)
        await pilot.pause()
        assert app.widget.value == 25
        assert app.changes() == [20, 25]
        assert count_on_screen(app.widget) == "25"
        await pilot.press("plus", "plus", "minus", "minus", "minus")
        assert app.widget.value == 25


async def test_new_bounds_and_reasons_replace_the_old_ones() -> None:
    app = OneWidgetApp(licenses(8))
    async with app.run_test() as pilot:
        await pilot.press("minus")
        assert shown_reason(app.widget) == ACME_MIN_REASON
        # Someone left: the bound moves down and the count is no longer pressed against it.
        app.widget.set_bounds(7, 50, min_reason="Acme Corp has 7 members: remove members first to go lower.")
        await pilot.pause()
        assert shown_reason(app.widget) is None
        await pilot.press("minus", "minus")
        assert app.widget.value == 7
        assert shown_reason(app.widget) == "Acme Corp has 7 members: remove members first to go lower."
        assert app.widget.max == 50


async def test_the_reason_shown_follows_a_new_reason_for_the_same_bound() -> None:
    app = OneWidgetApp(licenses(8))
    async with app.run_test() as pilot:
        await pilot.press("minus")
        app.widget.set_bounds(8, 50, min_reason="Acme Corp has 8 members: remove members first to go lower.")
        await pilot.pause()
        assert shown_reason(app.widget) == "Acme Corp has 8 members: remove members first to go lower."


async def test_a_bound_without_a_reason_still_announces_itself_but_shows_nothing() -> None:
    app = OneWidgetApp(SeatCounter(1, min=1, max=3))
    async with app.run_test() as pilot:
        await pilot.press("minus")
        assert shown_reason(app.widget) is None
        assert app.bounds_reached() == [("min", "")]


async def test_the_count_is_read_from_code_and_set_from_code() -> None:
    app = OneWidgetApp(licenses(12))
    async with app.run_test() as pilot:
        app.widget.value = 40
        await pilot.pause()
        assert count_on_screen(app.widget) == "40"
        app.widget.value = 400  # code, not the user: clamped without a reason
        await pilot.pause()
        assert app.widget.value == 50
        assert shown_reason(app.widget) is None
        assert app.changes() == [40, 50]
        assert app.bounds_reached() == []


def test_bounds_the_wrong_way_round_are_refused() -> None:
    with pytest.raises(ValueError, match="above"):
        SeatCounter(5, min=9, max=8)


class CounterWithId(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.reasons: list[str] = []

    def compose(self) -> ComposeResult:
        yield licenses(8, id="seat-counter")

    @on(SeatCounter.BoundReached, "#seat-counter")
    def record_reason(self, message: SeatCounter.BoundReached) -> None:
        self.reasons.append(message.reason)


async def test_a_screen_can_listen_to_the_counter_by_its_id() -> None:
    app = CounterWithId()
    async with app.run_test() as pilot:
        await pilot.press("minus")
        assert app.reasons == [ACME_MIN_REASON]
