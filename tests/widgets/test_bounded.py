"""The step grid both widgets share, and typed numbers of any length, as properties."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot

from kaspr_tui.widgets._bounded import MAX_TYPED_DIGITS, Bounds
from kaspr_tui.widgets.slider import Slider
from tests.helpers.widgets import OneWidgetApp


@st.composite
def bounds(draw: st.DrawFn) -> Bounds:
    minimum = draw(st.integers(-1_000, 100_000))
    step = draw(st.integers(1, 500))
    return Bounds(minimum, minimum + step * draw(st.integers(0, 400)), step)


def on_grid(bounds: Bounds, value: int) -> bool:
    return bounds.minimum <= value <= bounds.maximum and (value - bounds.minimum) % bounds.step == 0


@given(bounds(), st.integers(-10**12, 10**12))
def test_any_value_settles_on_the_nearest_step_within_bounds(grid: Bounds, value: int) -> None:
    settled = grid.settle(value)
    assert on_grid(grid, settled)
    clamped = max(grid.minimum, min(grid.maximum, value))
    # Nearest: no other step of the grid is closer to what was asked (within the bounds) ...
    assert 2 * abs(settled - clamped) <= grid.step
    # ... and half way between two steps goes to the upper one.
    if 2 * abs(settled - clamped) == grid.step:
        assert settled > clamped


@given(bounds())
def test_values_on_the_grid_stay_as_they_are(grid: Bounds) -> None:
    for value in (grid.minimum, grid.maximum, grid.minimum + grid.step * (grid.steps // 2)):
        assert grid.settle(value) == value


@given(bounds(), st.integers(1, 300))
def test_a_track_with_a_cell_per_step_gives_each_step_its_own_cell(grid: Bounds, spare_cells: int) -> None:
    last_cell = grid.steps + spare_cells - 1 if grid.steps else spare_cells
    for value in (grid.minimum, grid.maximum, grid.minimum + grid.step * (grid.steps // 3)):
        cell = grid.position_of(value, last_cell)
        assert 0 <= cell <= last_cell
        assert grid.at_position(cell, last_cell) == value


@given(bounds(), st.integers(-50, 500))
def test_the_ends_of_the_track_are_the_bounds_and_past_them_too(grid: Bounds, cells: int) -> None:
    last_cell = max(1, cells)
    assert grid.at_position(0, last_cell) == grid.minimum
    assert grid.at_position(-5, last_cell) == grid.minimum
    assert grid.at_position(last_cell, last_cell) == grid.maximum
    assert grid.at_position(last_cell + 9, last_cell) == grid.maximum


@pytest.mark.parametrize(
    ("minimum", "maximum", "step"),
    [(0, 10, 0), (10, 0, 1), (25, 5_010, 25)],
)
def test_bounds_that_make_no_grid_are_refused(minimum: int, maximum: int, step: int) -> None:
    with pytest.raises(ValueError):
        Bounds(minimum, maximum, step)


GRIDS = [Bounds(25, 5_000, 25), Bounds(100, 50_000, 100), Bounds(7, 7 + 13 * 40, 13)]


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=GRIDS, ids=str)
async def slider_app(request: pytest.FixtureRequest) -> AsyncIterator[tuple[OneWidgetApp, Pilot]]:
    """One running app per grid, shared by every example: starting an app per example is slow."""
    grid: Bounds = request.param
    app = OneWidgetApp(Slider(grid.minimum, min=grid.minimum, max=grid.maximum, step=grid.step))
    async with app.run_test() as pilot:
        yield app, pilot


@pytest.mark.asyncio(loop_scope="module")
@settings(max_examples=50, deadline=None)  # no deadline: a busy CI machine is slower, not wrong
@given(digits=st.text("0123456789", min_size=1, max_size=12))
async def test_any_typed_number_lands_on_the_step_grid_within_bounds(
    slider_app: tuple[OneWidgetApp, Pilot], digits: str
) -> None:
    app, pilot = slider_app
    # The keys go in as the terminal driver sends them, all at once: Pilot.press waits for the
    # app to go idle after every key, which over a hundred examples takes most of a minute.
    for key in [*(events.Key(digit, digit) for digit in digits), events.Key("enter", "\r")]:
        app.post_message(key)
    await pilot.pause()
    slider = app.widget
    assert slider.typed_entry == ""  # Enter took it
    grid = Bounds(slider.min, slider.max, slider.step)
    assert on_grid(grid, slider.value)
    if len(digits) <= MAX_TYPED_DIGITS:  # past that many, further digits are not taken
        wanted = max(grid.minimum, min(grid.maximum, int(digits)))
        assert 2 * abs(slider.value - wanted) <= grid.step
