"""`CoalescedFooter`: Textual's footer, rebuilt once per screen refresh however often the keys changed.

Textual's `Footer` recomposes (removes and mounts again every key, each styled twice) once for each
change of the bindings: each focus move, each page mounted, each `refresh_bindings`. Eight such
changes come before the dashboard's first frame; the keys they show are the same, read after the
refresh, so one recompose shows what eight did (textual is pinned: `_bindings_ready` is its own).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class CoalescedFooter(Footer):
    _recompose_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._recompose_pending = False
        await self.recompose()
