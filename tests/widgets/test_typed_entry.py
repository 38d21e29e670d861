"""Typing a number, the same in the slider and the seat counter: Enter sets it, Escape drops it,
and with nothing typed Enter and Escape belong to the screen around the widget."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kaspr_tui.widgets._bounded import BoundedValue
from tests.helpers.widgets import OneWidgetApp, licenses, phone_credits

# Each widget with a value to start from and a number to type that it holds exactly.
WIDGETS = [
    pytest.param(lambda: phone_credits(1_000), "300", 300, id="slider"),
    pytest.param(lambda: licenses(10), "30", 30, id="seat-counter"),
]


@pytest.mark.parametrize(("make", "typed", "expected"), WIDGETS)
async def test_enter_sets_the_typed_number(make: Callable[[], BoundedValue], typed: str, expected: int) -> None:
    app = OneWidgetApp(make())
    async with app.run_test() as pilot:
        await pilot.press(*typed, "enter")
        assert app.widget.value == expected
        assert app.changes() == [expected]
        assert app.keys_seen == []  # the widget took that Enter


@pytest.mark.parametrize(("make", "typed", "expected"), WIDGETS)
async def test_escape_drops_the_typed_number_and_stays_in_the_widget(
    make: Callable[[], BoundedValue], typed: str, expected: int
) -> None:
    app = OneWidgetApp(make())
    async with app.run_test() as pilot:
        before = app.widget.value
        await pilot.press(*typed, "escape")
        assert app.widget.typed_entry == ""
        assert app.keys_seen == []
        await pilot.press("enter")  # nothing typed any more: this Enter is the screen's
        assert app.widget.value == before
        assert app.changes() == []
        assert app.keys_seen == ["enter"]


@pytest.mark.parametrize(("make", "typed", "expected"), WIDGETS)
async def test_escape_and_enter_with_nothing_typed_reach_the_screen(
    make: Callable[[], BoundedValue], typed: str, expected: int
) -> None:
    app = OneWidgetApp(make())
    async with app.run_test() as pilot:
        await pilot.press("escape", "enter")
        assert app.keys_seen == ["escape", "enter"]
        assert app.widget.has_focus


@pytest.mark.parametrize(("make", "typed", "expected"), WIDGETS)
async def test_backspace_erases_the_last_typed_digit(
    make: Callable[[], BoundedValue], typed: str, expected: int
) -> None:
    app = OneWidgetApp(make())
    async with app.run_test() as pilot:
        await pilot.press(*typed, "9", "backspace", "enter")
        assert app.widget.value == expected


@pytest.mark.parametrize(("make", "typed", "expected"), WIDGETS)
async def test_moving_focus_away_keeps_what_was_typed(
    make: Callable[[], BoundedValue], typed: str, expected: int
) -> None:
    app = OneWidgetApp(make())
    async with app.run_test() as pilot:
        await pilot.press(*typed, "tab")
        assert app.query_one("#next").has_focus
        assert app.widget.value == expected


@pytest.mark.parametrize(("make", "typed", "expected"), WIDGETS)
async def test_a_step_key_counts_from_the_typed_number(
    make: Callable[[], BoundedValue], typed: str, expected: int
) -> None:
    app = OneWidgetApp(make())
    async with app.run_test() as pilot:
        await pilot.press(*typed, "right")
        one_step = app.widget.step
        assert app.widget.value == expected + one_step
        assert app.changes() == [expected + one_step]  # straight there, no stop on the typed value
