"""How the slider, the seat counter, checkboxes and radio buttons look at 80×24. Look at an SVG before accepting it."""

from __future__ import annotations

import pytest

from tests.helpers.widgets import SnapshotApp, TogglesApp, licenses, phone_credits


def test_slider_at_its_minimum(snap_compare) -> None:
    assert snap_compare(SnapshotApp("Buy phone credits", phone_credits(25), focused=False))


def test_slider_in_the_middle(snap_compare) -> None:
    assert snap_compare(SnapshotApp("Buy phone credits", phone_credits(2_500), focused=False))


def test_slider_at_its_maximum(snap_compare) -> None:
    assert snap_compare(SnapshotApp("Buy phone credits", phone_credits(5_000), focused=False))


def test_slider_focused(snap_compare) -> None:
    assert snap_compare(SnapshotApp("Buy phone credits", phone_credits(1_000), focused=True))


def test_slider_with_a_number_being_typed(snap_compare) -> None:
    app = SnapshotApp("Buy phone credits", phone_credits(1_000), focused=True)
    assert snap_compare(app, press=["6", "3"])


def test_seat_counter_pressed_against_its_lower_bound(snap_compare) -> None:
    app = SnapshotApp("Licenses for Acme Corp", licenses(8), focused=True)
    assert snap_compare(app, press=["minus"])


@pytest.mark.parametrize("focused", ["#unticked", "#admin"])
def test_ticked_unticked_and_chosen_under_no_color(snap_compare, monkeypatch: pytest.MonkeyPatch, focused: str) -> None:
    """Issue 13, defect 3: the state is in the mark (X, ●, blank), legible with no colour at all."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def focus(pilot) -> None:
        pilot.app.screen.query_one(focused).focus()
        await pilot.pause()

    assert snap_compare(TogglesApp(), terminal_size=(80, 24), run_before=focus)
