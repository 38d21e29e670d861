"""Any keys on the seat counter and a credits slider, as a property (hypothesis): the typed value
that a quote is asked for is always a whole number the widget allows. (tests/widgets covers typed
digits on the slider; this adds the seat counter and every other key, garbage included.)"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot

from tests.helpers.widgets import OneWidgetApp, licenses, phone_credits

KEYS = st.sampled_from(["0", "1", "5", "9", "plus", "minus", "left", "right", "up", "down", "home", "end",
                        "pageup", "pagedown", "enter", "escape", "backspace", "x", "ü", "🙂", "\x00", "\x1b"])


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=["seat-counter", "slider"])
async def bounded_app(request: pytest.FixtureRequest) -> AsyncIterator[tuple[OneWidgetApp, Pilot]]:
    """One running app per widget, shared by every example: starting an app per example is slow."""
    app = OneWidgetApp(licenses() if request.param == "seat-counter" else phone_credits())
    async with app.run_test() as pilot:
        yield app, pilot


@pytest.mark.asyncio(loop_scope="module")
@settings(max_examples=60, deadline=None)  # no deadline: a busy CI machine is slower, not wrong
@given(keys=st.lists(KEYS, max_size=30))
async def test_any_keys_leave_the_value_an_int_on_its_grid_within_bounds(
    bounded_app: tuple[OneWidgetApp, Pilot], keys: list[str]
) -> None:
    """Digits, steps, Enter, Escape, Backspace and garbage in any order: the widget's value (what a
    quote is asked for) is always a whole number of seats or credits the widget allows."""
    app, pilot = bounded_app
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
    await pilot.pause()
    widget = app.widget
    assert type(widget.value) is int
    assert widget.min <= widget.value <= widget.max
    assert (widget.value - widget.min) % widget.step == 0
