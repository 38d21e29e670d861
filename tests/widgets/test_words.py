"""Words: a line given the words it already shows neither draws nor lays the screen out again; new
words, or the same words in another style, are shown at the next frame."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot

from kaspr_tui.widgets.words import Words
from tests.helpers.screen import shown


class WordsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Words("Loading your account…", id="line")
        yield Words(Content("Paid"), id="status")


async def layouts_after(pilot: Pilot[None], change: str | Content, selector: str) -> int:
    """How often the screen is laid out once `change` is given to the line `selector`."""
    screen = pilot.app.screen
    layouts = 0

    def laid_out(_screen: object) -> None:
        nonlocal layouts
        layouts += 1

    screen.screen_layout_refresh_signal.subscribe(screen, laid_out, immediate=True)
    screen.query_one(selector, Words).update(change)
    await pilot.pause()
    await pilot.pause()
    screen.screen_layout_refresh_signal.unsubscribe(screen)
    return layouts


async def test_the_same_words_lay_nothing_out_and_new_words_are_shown() -> None:
    app = WordsApp()
    async with app.run_test(size=(40, 4)) as pilot:
        await pilot.pause()
        assert await layouts_after(pilot, "Loading your account…", "#line") == 0
        assert shown(app, "#line") == "Loading your account…"
        assert await layouts_after(pilot, "Starting the bundled billing server…", "#line") >= 1
        assert shown(app, "#line") == "Starting the bundled billing server…"


async def test_the_same_words_in_another_style_are_drawn_again() -> None:
    # Content compares equal whatever its style: a line turning bold with the same words must not be skipped.
    app = WordsApp()
    async with app.run_test(size=(40, 4)) as pilot:
        await pilot.pause()
        status = app.query_one("#status", Words)
        status.update(Content.styled("Paid", "bold"))
        await pilot.pause()
        strip = status.render_lines(Region(0, 0, status.size.width, 1))[0]
        assert any(segment.style is not None and segment.style.bold for segment in strip if segment.text.strip())
