"""The slider, driven as a user would: keys, typed numbers, mouse clicks and drags."""

from __future__ import annotations

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from kaspr_tui.widgets.slider import Slider
from tests.helpers.widgets import OneWidgetApp, phone_credits

# Phone credits run 25 → 5,000 in steps of 25; a page is ten steps (250).


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["right"], 2_525),
        (["left"], 2_475),
        (["shift+right"], 2_750),
        (["shift+left"], 2_250),
        (["pageup"], 2_750),  # up is more, as on every slider
        (["pagedown"], 2_250),
        (["home"], 25),
        (["end"], 5_000),
        (["right", "right", "left"], 2_525),
    ],
)
async def test_each_key_moves_the_value(keys: list[str], expected: int) -> None:
    app = OneWidgetApp(phone_credits(2_500))
    async with app.run_test() as pilot:
        await pilot.press(*keys)
        assert app.widget.value == expected


@pytest.mark.parametrize(
    ("start", "keys", "expected"),
    [
        (5_000, ["right"], 5_000),
        (4_900, ["pageup"], 5_000),  # 4,900 + 250 would be past the top
        (25, ["left"], 25),
        (100, ["shift+left"], 25),
        (5_000, ["end"], 5_000),
        (25, ["home"], 25),
    ],
)
async def test_keys_stop_at_the_bounds(start: int, keys: list[str], expected: int) -> None:
    app = OneWidgetApp(phone_credits(start))
    async with app.run_test() as pilot:
        await pilot.press(*keys)
        assert app.widget.value == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("60", 50),  # 35 above the minimum is 1.4 steps: one step
        ("63", 75),  # 38 above is 1.52 steps: two
        ("2500", 2_500),
        ("2512", 2_500),
        ("2513", 2_525),
        ("99999", 5_000),  # past the top: clamped
        ("7", 25),  # under the minimum: clamped
        ("0", 25),
    ],
)
async def test_a_typed_number_snaps_to_the_nearest_step_and_stays_in_bounds(typed: str, expected: int) -> None:
    app = OneWidgetApp(phone_credits(1_000))
    async with app.run_test() as pilot:
        await pilot.press(*typed, "enter")
        assert app.widget.value == expected


async def test_a_typed_number_halfway_between_steps_goes_up() -> None:
    app = OneWidgetApp(Slider(0, min=0, max=400, step=10))
    async with app.run_test() as pilot:
        await pilot.press("1", "5", "enter")
        assert app.widget.value == 20
        await pilot.press("1", "4", "enter")
        assert app.widget.value == 10


async def test_the_typed_number_shows_inline_until_enter() -> None:
    app = OneWidgetApp(phone_credits(1_000))
    async with app.run_test() as pilot:
        await pilot.press("6", "3")
        heading = app.widget.render().plain.splitlines()[0]
        assert "63" in heading
        assert "1,000" not in heading
        assert app.widget.value == 1_000  # nothing changes before Enter
        await pilot.press("enter")
        heading = app.widget.render().plain.splitlines()[0]
        assert heading.endswith("75")


async def test_changed_is_posted_once_per_change_and_never_for_no_change() -> None:
    app = OneWidgetApp(phone_credits(4_950))
    async with app.run_test() as pilot:
        await pilot.press("right", "right")  # 4,975, 5,000
        await pilot.press("right", "end")  # already at the top: nothing
        await pilot.press(*"5000", "enter")  # the value it has: nothing
        await pilot.press("home")
        assert app.changes() == [4_975, 5_000, 25]
        assert all(message.control is app.widget for message in app.messages)


async def test_setting_the_value_from_code_clamps_snaps_and_posts_changed() -> None:
    app = OneWidgetApp(phone_credits(1_000))
    async with app.run_test() as pilot:
        app.widget.value = 1_250
        await pilot.pause()
        app.widget.value = 1_260  # snaps back to 1,250: no change
        await pilot.pause()
        app.widget.value = 1_000_000
        await pilot.pause()
        app.widget.value = -3
        await pilot.pause()
        assert app.changes() == [1_250, 5_000, 25]
        assert app.widget.value == 25


async def test_the_starting_value_is_clamped_and_announces_nothing() -> None:
    app = OneWidgetApp(phone_credits(9_000))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.widget.value == 5_000
        assert app.changes() == []


def test_a_top_bound_off_the_step_grid_is_refused() -> None:
    with pytest.raises(ValueError, match="max"):
        Slider(30, min=25, max=5_010, step=25)


async def test_it_shows_label_value_track_and_bounds_without_relying_on_colour() -> None:
    app = OneWidgetApp(phone_credits(2_500))
    async with app.run_test() as pilot:
        await pilot.pause()
        heading, track, bounds = app.widget.render().plain.splitlines()
        assert heading.startswith("Phone credits") and heading.endswith("2,500")
        assert bounds.startswith("25") and bounds.endswith("5,000")
        # Filled up to the handle, empty after it, by shape alone; 2,500 sits half way.
        filled, empty = track.split("●")
        assert set(filled) == {"━"} and set(empty) == {"─"}
        assert abs(len(filled) - len(empty)) <= 1


# Mouse. A slider 41 cells wide from 0 to 400 in steps of 10 puts one step on each cell.


def mouse_slider(value: int = 200) -> Slider:
    slider = Slider(value, min=0, max=400, step=10, label="Credits")
    slider.styles.width = 42  # 41 cells of content after the one-cell focus bar
    return slider


def on_track(slider: Slider, column: int) -> tuple[int, int]:
    """The offset, relative to the slider, of `column` on its track (the second line)."""
    content = slider.content_region.offset - slider.region.offset
    return content.x + column, content.y + 1


async def click_track(pilot: Pilot, slider: Slider, column: int) -> None:
    await pilot.click(slider, offset=on_track(slider, column))


async def test_clicking_the_track_ends_sets_the_bounds_and_the_middle_the_middle() -> None:
    app = OneWidgetApp(mouse_slider(200))
    async with app.run_test() as pilot:
        slider = app.widget
        assert slider.content_region.width == 41
        await click_track(pilot, slider, 0)
        assert slider.value == 0
        await click_track(pilot, slider, 40)
        assert slider.value == 400
        await click_track(pilot, slider, 20)
        assert slider.value == 200
        await click_track(pilot, slider, 13)
        assert slider.value == 130
        assert app.changes() == [0, 400, 200, 130]


async def test_clicking_on_the_label_line_leaves_the_value_alone() -> None:
    app = OneWidgetApp(mouse_slider(200))
    async with app.run_test() as pilot:
        column, _ = on_track(app.widget, 5)
        await pilot.click(app.widget, offset=(column, 0))
        assert app.widget.value == 200


async def test_a_click_focuses_the_slider() -> None:
    app = OneWidgetApp(mouse_slider(200))
    async with app.run_test() as pilot:
        app.query_one("#next").focus()
        await click_track(pilot, app.widget, 30)
        assert app.widget.has_focus
        await pilot.press("right")
        assert app.widget.value == 310


async def test_dragging_the_handle_follows_the_mouse_even_past_the_end() -> None:
    app = OneWidgetApp(mouse_slider(200))
    async with app.run_test() as pilot:
        slider = app.widget
        await pilot.mouse_down(slider, offset=on_track(slider, 5))
        assert slider.value == 50
        await pilot.hover(slider, offset=on_track(slider, 30))
        assert slider.value == 300
        # Well to the right of the slider (the screen is 80 wide): still the slider's, at its top.
        await pilot.mouse_up(slider, offset=on_track(slider, 60))
        assert slider.value == 400
        assert app.changes() == [50, 300, 400]
        # Released: moving the mouse over the track no longer moves the handle.
        await pilot.hover(slider, offset=on_track(slider, 10))
        assert slider.value == 400


async def test_a_click_replaces_a_number_being_typed() -> None:
    app = OneWidgetApp(mouse_slider(200))
    async with app.run_test() as pilot:
        await pilot.press("3", "5")
        await click_track(pilot, app.widget, 10)
        assert app.widget.value == 100
        assert app.widget.typed_entry == ""
        assert app.changes() == [100]


class TwoSliders(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.phone: list[int] = []

    def compose(self) -> ComposeResult:
        yield phone_credits(100, id="credits-slider")
        yield phone_credits(100, id="other-slider")

    @on(Slider.Changed, "#credits-slider")
    def record_phone(self, message: Slider.Changed) -> None:
        self.phone.append(message.value)


async def test_a_screen_can_listen_to_one_slider_by_its_id() -> None:
    app = TwoSliders()
    async with app.run_test() as pilot:
        await pilot.press("right")  # the first slider has the focus
        app.query_one("#other-slider", Slider).value = 4_000
        await pilot.pause()
        assert app.phone == [125]
