"""Issue 13's proof: at 80×24, by keyboard alone, for every page and every dialog, Tab walks focus
through every control and each focused control is on screen (not scrolled away, not under the
footer); every action in the footer and in the palette is reached by keys.

Nothing here is a hand list of pages or dialogs: the pages are the modes each role may use, the
dialogs are found by pressing every button Tab reaches, every footer key and every palette
command (typed into the palette, as a person does). Every dialog class in `kaspr_tui.screens` must
have been met; the few that only open deep inside a flow (after a payment, a look-up) are reached
by `DEEP_PATHS`, and a new dialog that none of these reach fails the test by name.

The crawl is one test per role and part (a page, the palette, a deep path), each in an app of its
own, so that pytest-xdist spreads it over the cores; each part records the dialogs it met in a
folder the workers share, and the part that finishes last checks that together they met every one.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import pkgutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, TabbedContent

import kaspr_tui.screens
from kaspr_tui.app import MODES_BY_ROLE, KasprApp
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY, LiveServer
from kaspr_tui.widgets.seat_counter import SeatCounter
from tests.helpers.app import app_for
from tests.helpers.forms import type_into, type_text
from tests.helpers.waiting import until

WORKER_ROUNDS = 20
"""Pauses of 50 ms to let workers finish after a key: one holding a dialog open never does."""


async def settle(pilot: Pilot[None]) -> None:
    """Until no worker runs, or for at most WORKER_ROUNDS pauses: unlike tests.helpers.waiting.settle
    this never waits on a worker that awaits the dialog just opened (any page's may). The app runs
    on between the looks (a sleep, not `pilot.pause`, which waits for every widget of the screen to
    answer: 6% of the crawl's CPU); the last pause brings the screen up to date."""
    for _ in range(WORKER_ROUNDS):
        await asyncio.sleep(0.05)
        if all(worker.is_finished for worker in pilot.app.workers):
            break
    await pilot.pause()


SIZE = (80, 24)
KEYS = {"admin": ADMIN_KEY, "member": MEMBER_KEY, "support": SUPPORT_KEY}
MAX_STOPS = 80
"""More Tab stops than any page has: a walk that never comes back to its start fails."""
NOT_PRESSED = frozenset({"Quit", "Change theme"})
"""Palette commands not run: one ends the app, the other is Textual's own theme picker."""


def dialog_classes() -> set[type[Dialog]]:
    """Every dialog the app defines (each module of kaspr_tui.screens imported), bases left out."""
    for module in pkgutil.walk_packages(kaspr_tui.screens.__path__, "kaspr_tui.screens."):
        importlib.import_module(module.name)
    found: set[type[Dialog]] = set()
    pending: list[type] = [Dialog]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if not subclass.__subclasses__():  # a base (PurchaseDialog) is met as its subclasses
                found.add(subclass)
    return {cls for cls in found if cls.__module__.startswith("kaspr_tui.")}


def fully_visible(screen: Screen, widget: Widget) -> bool:
    """The widget is drawn, and all of it (or, if it is taller than its view, a part) is visible."""
    visible = screen._compositor.visible_widgets
    if widget not in visible:
        return False
    region, clip = visible[widget]
    shown = region.intersection(clip)
    if region.height <= clip.height and region.width <= clip.width:
        return shown == region
    return shown.area > 0


async def walk_focus(pilot: Pilot[None], where: str) -> list[Widget]:
    """Tab from wherever focus is until it comes back; each control met must be on screen."""
    app = pilot.app
    met: list[Widget] = []
    for _ in range(MAX_STOPS):
        await pilot.press("tab")
        await pilot.pause()
        focused = app.focused
        if focused is None or focused in met:
            return met
        met.append(focused)
        await pilot.pause()  # the screen scrolls to the focused control after the focus
        assert fully_visible(app.screen, focused), f"{where}: Tab focused {focused!r}, which is not on screen"
    raise AssertionError(f"{where}: Tab never came back to the first control")


class Crawl:
    """One app, one role: every page walked, every dialog met walked."""

    def __init__(self, pilot: Pilot[None], role: str, walked: Path) -> None:
        self.pilot = pilot
        self.app: KasprApp = pilot.app  # type: ignore[assignment]
        self.role = role
        self.walked = walked
        """Where each part claims the dialogs it walks: each is walked once a role, as in one crawl."""
        self.dialogs_met: set[type[Screen]] = set()

    async def back_to(self, mode: str) -> None:
        for _ in range(5):
            if not isinstance(self.app.screen, ModalScreen):
                break
            await self.pilot.press("escape")
            await settle(self.pilot)
        assert not isinstance(self.app.screen, ModalScreen), f"Escape does not close {self.app.screen!r}"
        if self.app.current_mode != mode:
            await self.app.switch_mode(mode)
            await settle(self.pilot)

    async def walk_dialog_if_any(self, how: str) -> None:
        screen = self.app.screen
        if isinstance(screen, ModalScreen) and type(screen) not in self.dialogs_met:
            self.dialogs_met.add(type(screen))
            if self.first_to_walk(type(screen).__name__):
                await walk_focus(self.pilot, f"{self.role}: {type(screen).__name__} ({how})")

    def first_to_walk(self, dialog: str) -> bool:
        """Whether no other part of this role's crawl (in any worker) has walked this dialog yet."""
        try:
            os.close(os.open(self.walked / f"{self.role}-{dialog}", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        return True

    async def page(self, mode: str) -> None:
        await self.back_to(mode)
        panes = [(tabs, pane.id) for tabs in self.app.screen.query(TabbedContent) for pane in tabs.query("TabPane")]
        for tabs, pane_id in panes or [(None, None)]:
            await self.back_to(mode)
            if tabs is not None:
                tabs.active = pane_id
                await settle(self.pilot)
            where = f"{self.role}: {mode} page" + (f", tab {pane_id}" if pane_id else "")
            controls = await walk_focus(self.pilot, where)
            buttons = [control.id for control in controls if isinstance(control, Button) and not control.disabled]
            for button_id in buttons:
                await self.back_to(mode)
                if tabs is not None:
                    self.app.screen.query_one(TabbedContent).active = pane_id
                    await settle(self.pilot)
                self.app.screen.query_one(f"#{button_id}").focus()
                await self.pilot.press("enter")
                await settle(self.pilot)
                await self.walk_dialog_if_any(f"the button #{button_id} on the {mode} page")
        await self.footer_keys(mode)

    async def footer_keys(self, mode: str) -> None:
        await self.back_to(mode)
        self.app.screen.set_focus(None)
        active = self.app.screen.active_bindings.values()
        shown = [binding for _, binding, enabled, _ in active if binding.show and enabled]
        assert shown, f"{self.role}: the {mode} page's footer is empty"
        for binding in shown:
            if binding.action in {"quit", "app.quit"}:
                continue
            await self.back_to(mode)
            self.app.screen.set_focus(None)
            await self.pilot.press(binding.key.split(",")[0])
            await settle(self.pilot)
            await self.walk_dialog_if_any(f"the footer key {binding.key} on the {mode} page")

    async def palette(self, mode: str) -> None:
        await self.back_to(mode)
        titles = [command.title for command in self.app.get_system_commands(self.app.screen)]
        for title in titles:
            if title in NOT_PRESSED:
                continue
            await self.back_to(mode)
            await self.pilot.press("ctrl+p")
            await self.pilot.pause()
            await type_text(self.pilot, title)
            await settle(self.pilot)
            await self.pilot.press("enter")
            await settle(self.pilot)
            still_open = "CommandPalette" in type(self.app.screen).__name__
            assert not still_open, f"{self.role}: {title!r} not found by typing it"
            await self.walk_dialog_if_any(f"the palette's {title!r}")


async def checkout_chain(crawl: Crawl) -> None:
    """Upgrade with one more user, Checkout: the billing information, the review, the payment."""
    pilot, app = crawl.pilot, crawl.app
    await crawl.back_to("billing")
    app.screen.query_one(TabbedContent).active = "upgrade"
    app.screen.query_one("#seats", SeatCounter).focus()
    await pilot.press("plus")
    await settle(pilot)
    for button in ("checkout", "submit", "continue-to-payment"):
        for _ in range(100):
            if app.screen.query(f"#{button}") and not app.screen.query_one(f"#{button}").disabled:
                break
            await pilot.pause(0.05)
        app.screen.query_one(f"#{button}").focus()
        await pilot.press("enter")
        await settle(pilot)
        await crawl.walk_dialog_if_any(f"checkout, after #{button}")


async def invoice_chain(crawl: Crawl) -> None:
    """Plan & Billing → the invoices table: Enter opens one; its download says where it saved."""
    pilot, app = crawl.pilot, crawl.app
    await crawl.back_to("billing")
    app.screen.query_one(TabbedContent).active = "plan-billing"
    await settle(pilot)
    invoices = app.screen.query_one("#invoices", DataTable)
    # Shown, the pane asks for its rows in a worker that may start after a settle has looked.
    await until(pilot, lambda: invoices.row_count > 0, "the invoices to be listed")
    invoices.focus()
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ModalScreen), "Enter to open the invoice")
    await settle(pilot)
    await crawl.walk_dialog_if_any("Enter on an invoice")


async def transfer_chain(crawl: Crawl) -> None:
    """The console: look David up, then t."""
    pilot = crawl.pilot
    await crawl.back_to("support")
    await type_into(pilot, "#lookup-email", "david@acme.example")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("escape", "t")
    await settle(pilot)
    await crawl.walk_dialog_if_any("t after a look-up")


DEEP_PATHS: dict[str, tuple[Callable[[Crawl], Awaitable[None]], ...]] = {
    "admin": (checkout_chain, invoice_chain),
    "support": (transfer_chain,),
}
"""Flows whose dialogs only open once something is chosen."""
NEVER_OPENED_HERE = {
    "ConfigErrorScreen": "a config.toml that does not parse: tests/tui/test_app.py",
}


async def crawl_palette(crawl: Crawl) -> None:
    # The palette lists the same commands on every page (each takes you where it acts).
    await crawl.palette(MODES_BY_ROLE[crawl.role][0])  # type: ignore[index]


PARTS: dict[str, Callable[[Crawl], Awaitable[None]]] = {
    **{
        f"{role}-{mode}": lambda crawl, mode=mode: crawl.page(mode)
        for role in KEYS
        for mode in MODES_BY_ROLE[role]  # type: ignore[index]
    },
    **{f"{role}-palette": crawl_palette for role in KEYS},
    **{f"{role}-{chain.__name__}": chain for role, chains in DEEP_PATHS.items() for chain in chains},
}
"""Each role's crawl in parts that need nothing of one another: its pages, its palette, its deep paths."""


@pytest.fixture(scope="session")
def crawl_folder(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A folder every xdist worker of this run shares (each worker's temporary root is in the run's),
    with `met/` (the dialogs each part met) and `walked/` (the dialogs walked, by role)."""
    run_root = tmp_path_factory.getbasetemp()
    folder = (run_root.parent if worker_id != "master" else run_root) / "keyboard-crawl"
    for shared in ("met", "walked"):
        (folder / shared).mkdir(parents=True, exist_ok=True)
    return folder


def record_met(folder: Path, part: str, dialogs: set[str]) -> dict[str, set[str]]:
    """Save what this part met (atomically: a reader never sees half a file); every part's so far."""
    written = folder / f"{part}.json.partial"
    written.write_text(json.dumps(sorted(dialogs)))
    os.replace(written, folder / f"{part}.json")
    return {path.stem: set(json.loads(path.read_text())) for path in folder.glob("*.json")}


@pytest.mark.long
@pytest.mark.parametrize("part", PARTS)
async def test_every_page_and_dialog_by_keyboard_at_80x24(
    live_server: LiveServer, tmp_path, monkeypatch: pytest.MonkeyPatch, crawl_folder: Path, part: str
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # a download lands here, not in a real home
    role = part.split("-")[0]
    app = app_for(live_server.url, KEYS[role])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        crawl = Crawl(pilot, role, crawl_folder / "walked")
        await PARTS[part](crawl)
        await crawl.back_to(MODES_BY_ROLE[role][0])  # type: ignore[index]
    met = record_met(crawl_folder / "met", part, {cls.__name__ for cls in crawl.dialogs_met})
    if set(met) != set(PARTS):
        return  # a part still running will count them (each saves before it looks)
    defined = {cls.__name__ for cls in dialog_classes()}
    missed = defined - set().union(*met.values()) - set(NEVER_OPENED_HERE)
    assert not missed, f"dialogs no key, button or palette command reached: {sorted(missed)}"
