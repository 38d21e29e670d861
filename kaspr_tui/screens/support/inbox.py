"""The support inbox (issue 13): the requests a customer sent, and for support staff every
workspace's open requests, each a table paged from the API with the highlighted request in full
under it.

- `YourRequests` (`#support-your-requests`, below the customer's forms): `#your-requests`
  (`GET /v1/support_requests`: ticket, kind, status with when it was closed, date sent).
- `OpenRequests` (`#support-open-requests`, in the console): `#open-requests`
  (`GET /v1/support/requests?status=open`: ticket, kind, who sent it, date); Enter or
  `#request-lookup` looks the sender's account up (`RequesterWanted`, which the console answers),
  `#request-close` (the page's `c`) closes the highlighted one after a confirmation.

Each list is read again with every new load of the account (the first, `r`, and the one after a
request is sent); the staff list also after each close.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, DataTable

from kaspr_tui.api import new_idempotency_key
from kaspr_tui.api.models import ListResponse, SupportTicket
from kaspr_tui.billing.support_words import request_cells, request_summary
from kaspr_tui.screens.base import AccountPanel
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.screens.paged_rows import PagedRows
from kaspr_tui.state import AccountState, Problem, app_host
from kaspr_tui.widgets.note import Note
from kaspr_tui.widgets.paged_table import PagedTable, plain_cells
from kaspr_tui.widgets.words import Words


class RequestList(AccountPanel):
    """A table of requests to support, paged from the API, and the highlighted one in full."""

    TITLE: ClassVar[str]
    TABLE_ID: ClassVar[str]
    COLUMNS: ClassVar[tuple[str, ...]]
    EMPTY: ClassVar[str]
    """What the panel says when there is no request to list."""

    def __init__(self) -> None:
        super().__init__(id=f"support-{self.TABLE_ID}", classes="panel request-list")
        self._loaded_for: datetime | None = None
        """The account load the list was read for."""
        self._focus_once_listed: Widget | bool | None = False
        """What had the focus when `focus_list` came before the rows (the palette opening the page):
        once they are listed the table takes the focus, unless it has moved since. False: no wish."""

    def compose(self) -> ComposeResult:
        table = PagedTable(id=self.TABLE_ID, cursor_type="row", zebra_stripes=True)
        table.add_columns(*self.COLUMNS)
        yield table
        yield Note(id=f"{self.TABLE_ID}-note", classes="table-note")
        yield Words("Loading…", id=f"{self.TABLE_ID}-detail", classes="request-detail", markup=False)

    def on_mount(self) -> None:
        self.border_title = self.TITLE
        self.table.display = False
        self.rows: PagedRows[SupportTicket] = PagedRows(
            self,
            self.table,
            self.query_one(f"#{self.TABLE_ID}-note", Note),
            fetch_page=self.fetch_page,
            row_cells=self.row_cells,
            noun="requests",
            group=self.TABLE_ID,
            loaded=self._rows_loaded,
        )
        self.show_account(app_host(self.app).account)

    @property
    def table(self) -> PagedTable:
        return self.query_one(f"#{self.TABLE_ID}", PagedTable)

    def fetch_page(self, limit: int, starting_after: str | None) -> Awaitable[ListResponse[SupportTicket]]:
        raise NotImplementedError

    def row_cells(self, ticket: SupportTicket) -> tuple[Text, ...]:
        return plain_cells(*request_cells(ticket, self.COLUMNS))

    def show_account(self, state: AccountState) -> None:
        if state.loaded and app_host(self.app).client is not None and state.loaded_at != self._loaded_for:
            self._loaded_for = state.loaded_at
            self.rows.reload()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self.show_selected()

    def show_selected(self) -> None:
        """The highlighted request in full (who sent it, the message), or that there is none."""
        self.table.display = bool(self.rows.items)
        self.set_class(not self.rows.items, "-empty")
        selected = self.rows.selected
        detail = self.EMPTY if selected is None else "\n".join(request_summary(selected))
        self.query_one(f"#{self.TABLE_ID}-detail", Words).update(detail)

    def _rows_loaded(self) -> None:
        self.show_selected()
        if self._focus_once_listed is not False:
            # The page's first focus (nothing was focused when asked) is not the person moving on.
            unmoved = self._focus_once_listed in (None, self.screen.focused)
            if unmoved and self.table.display:
                self.table.focus()
                self.scroll_visible(animate=False)
            self._focus_once_listed = False

    def focus_list(self) -> None:
        """Into the table (when there is a request to list, or once the rows being read come), the
        whole section in view."""
        if self.table.display:
            self.table.focus()
        elif self.rows.loading or self._loaded_for is None:
            self._focus_once_listed = self.screen.focused
        self.scroll_visible(animate=False)


class YourRequests(RequestList):
    """The requests the customer sent (an admin's: the workspace's), open or closed."""

    TITLE = "Your requests"
    TABLE_ID = "your-requests"
    COLUMNS = ("Ticket", "Kind", "Status", "Sent")
    EMPTY = "No requests yet: what you send support above is listed here, with its ticket and status."

    def fetch_page(self, limit: int, starting_after: str | None) -> Awaitable[ListResponse[SupportTicket]]:
        client = app_host(self.app).client
        assert client is not None  # the account was loaded through it
        return client.support_requests(limit=limit, starting_after=starting_after)


class OpenRequests(RequestList):
    """Every workspace's requests not closed yet, for support staff to answer and close."""

    TITLE = "Open requests"
    TABLE_ID = "open-requests"
    COLUMNS = ("Ticket", "Kind", "From", "Sent")
    EMPTY = "No open requests: every request to support has been closed."

    @dataclass
    class RequesterWanted(Message):
        """Look up the account of the person who sent the request."""

        email: str

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Note(id="open-requests-status", classes="status-line", markup=False)
        with Horizontal(id="open-requests-actions"):
            yield Button("Look up the sender", id="request-lookup", compact=True)
            yield Button("Close request", id="request-close", compact=True)

    def on_mount(self) -> None:  # Textual runs RequestList's on_mount too
        self.query_one("#open-requests-status", Note).say("")

    def fetch_page(self, limit: int, starting_after: str | None) -> Awaitable[ListResponse[SupportTicket]]:
        client = app_host(self.app).client
        assert client is not None  # the account was loaded through it
        return client.support_inbox(status="open", limit=limit, starting_after=starting_after)

    def show_selected(self) -> None:
        super().show_selected()
        self.query_one("#open-requests-actions").display = self.table.display
        self.border_subtitle = "Enter look up the sender · c close" if self.table.display else ""

    @on(DataTable.RowSelected, "#open-requests")
    @on(Button.Pressed, "#request-lookup")
    def look_up_requester(self) -> None:
        selected = self.rows.selected
        if selected is not None and selected.requester is not None:
            self.post_message(self.RequesterWanted(selected.requester.email))

    @on(Button.Pressed, "#request-close")
    @work(exclusive=True, group="support-close-request", exit_on_error=False)
    async def close_selected(self) -> None:
        """The highlighted request closed, once the agent confirmed it; the list read again."""
        ticket, client = self.rows.selected, app_host(self.app).client
        if ticket is None or client is None:
            return
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                f"Close {ticket.id}?",
                "\n".join([*request_summary(ticket), "", "The customer will see it closed, with today's date."]),
                "Close request",
                cancel_label="Keep it open",
            )
        )
        if not confirmed:
            return
        status = self.query_one("#open-requests-status", Note)
        try:
            # A new key per confirmed close: a retry of it is safe anyway (closing twice is a no-op).
            closed = await client.close_support_request(ticket.id, idempotency_key=new_idempotency_key())
        except Exception as error:  # shown under the list, never a crash
            status.say(f"{ticket.id} was not closed: {Problem.from_error(error).detail}", error=True)
            return
        sender = closed.requester.email if closed.requester else "The customer"
        status.say(f"{closed.id} closed; {sender} sees it closed.")
        self.rows.reload()
        self.table.focus()
