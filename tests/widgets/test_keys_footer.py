"""KeysFooter rebuilds only when what it shows changes (a focus move between controls with the same
keys rebuilds nothing: tests/architecture/test_textual_hooks.py), and a key that turns disabled,
goes or comes back is shown so at the next frame."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from kaspr_tui.widgets.footer import KeysFooter
from tests.helpers.screen import screen_text


class SavingApp(App[None]):
    """`s Save` is shown, disabled while `locked`, and hidden while `hidden`."""

    BINDINGS = [Binding("s", "save", "Save")]

    def __init__(self) -> None:
        super().__init__()
        self.locked = False
        self.hidden = False

    def compose(self) -> ComposeResult:
        for number in range(4):
            yield Button(str(number))
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return False if self.hidden else None if self.locked else True
        return True

    def action_save(self) -> None:
        pass


def save_key(app: SavingApp) -> FooterKey | None:
    return next((key for key in app.query(FooterKey) if key.key == "s"), None)


async def test_a_key_that_turns_disabled_goes_or_comes_back_is_shown_so() -> None:
    app = SavingApp()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        key = save_key(app)
        assert key is not None and not key.has_class("-disabled")

        app.locked = True
        app.refresh_bindings()
        await pilot.pause()
        key = save_key(app)
        assert key is not None and key.has_class("-disabled")

        app.hidden = True
        app.refresh_bindings()
        await pilot.pause()
        assert save_key(app) is None
        assert "Save" not in screen_text(app).splitlines()[-1]

        app.hidden = app.locked = False
        app.refresh_bindings()
        await pilot.pause()
        key = save_key(app)
        assert key is not None and not key.has_class("-disabled")
        assert "s Save" in screen_text(app).splitlines()[-1]
