"""Reading what the person reads: the whole screen, a widget, a dialog, a notification."""

from __future__ import annotations

from textual.app import App
from textual.geometry import Region
from textual.notifications import Notification
from textual.widgets import Static


def screen_text(app: App[None]) -> str:
    """Exactly what the terminal shows, one line per row: what is clipped is not there."""
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in strip) for strip in update.strips)


def shown(app: App[None], selector: str) -> str:
    """The words a widget on the active screen holds, whether or not a narrow terminal wraps or clips them."""
    return str(app.screen.query_one(selector).render())


def showing(app: App[None], selector: str) -> bool:
    """Whether a widget matching `selector` is on the active screen and displayed."""
    found = app.screen.query(selector)
    return bool(found) and found.first().display


def on_screen(app: App[None], selector: str) -> str:
    """What the terminal shows where the widget is: its visible rows, one per line."""
    region = app.screen.query_one(selector).region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(row[region.x : region.right] for row in rows)


def drawn(app: App[None], selector: str) -> str:
    """What the widget draws, every line of it, scrolled out of view or not."""
    widget = app.screen.query_one(selector)
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def notices(app: App[None]) -> list[Notification]:
    """The notifications the app shows (not yet timed out or dismissed), oldest first."""
    return list(app._notifications)


def notifications(app: App[None]) -> list[str]:
    """The messages of the notifications the app shows."""
    return [notification.message for notification in notices(app)]


def dialog_message(app: App[None]) -> str:
    """The payment dialog's words, unwrapped (what a narrow terminal splits over lines)."""
    return str(app.screen.query_one("#payment-message", Static).content)


def dialog_title(app: App[None]) -> str:
    """The payment dialog's title: what it says happened."""
    return str(app.screen.query_one("#payment-dialog").border_title)
