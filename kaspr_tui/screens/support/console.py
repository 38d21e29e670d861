"""The support console (a `support` key only): look an account up, move a license and credits from
a user's old account to the new one, apply an email change.

`SupportConsole` is what the Support page mounts for a support key: its widgets and its workers
(the page holds the keys). Ids:

- `#support-console`: the whole console; `#console-signed-in`.
- `#lookup-email` (its message `#lookup-email-error`), `#lookup`: find a user by email
  (`GET /v1/support/accounts`); `#lookup-status` says what went wrong or what an action did.
- `#lookup-account`: user, workspace, role, plan, licenses, credits; `#lookup-invoices` and
  `#lookup-events`: the workspace's recent invoices and activity. Never a card.
- `#transfer-start`: the transfer dialog (`transfer.py`) from the account shown;
  afterwards `#transfer-result` shows both workspaces before and after, read again from the server.
- `#email-change-new` (message `#email-change-new-error`), `#email-change-apply`: give the user
  shown another email (`POST /v1/support/email_changes`) after a confirmation.
- `#support-open-requests`: every workspace's open requests (`inbox.OpenRequests`); choosing one
  looks its sender up here.

Keys (the page's): `/` look up, `t` transfer, `e` change the email, `i` the open requests, `c`
close the highlighted one; escape leaves a field.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label

from kaspr_tui.api.models import EmailChangeRequest, SupportAccount
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.support_words import account_summary_lines
from kaspr_tui.billing.validation import MAX_EMAIL_LENGTH
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.screens.failures import ReportsFailedWorkers
from kaspr_tui.screens.read_only import disable_write_buttons
from kaspr_tui.screens.support.forms import (
    RetryKey,
    checked_email,
    show_field_error,
    show_request_failure,
)
from kaspr_tui.screens.support.inbox import OpenRequests
from kaspr_tui.screens.support.transfer import (
    TransferOutcome,
    TransferScreen,
    TransferSide,
    read_figures,
    transfer_table,
)
from kaspr_tui.state import AccountState, app_host, gather_or_raise
from kaspr_tui.widgets.forms.field_input import FieldInput
from kaspr_tui.widgets.note import Note
from kaspr_tui.widgets.words import Words


def account_summary(account: SupportAccount) -> Content:
    """Who the user is and what their workspace has: plan, licenses, credits. No card."""
    name, *rest = account_summary_lines(account)
    return Content("\n").join([Content.styled(name, "bold"), *(Content(line) for line in rest)])


def invoices_table(account: SupportAccount) -> Table | str:
    if not account.recent_invoices:
        return "No invoices."
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0), show_header=False)
    for invoice in account.recent_invoices:
        table.add_row(
            invoice.number or invoice.id,
            format_date(invoice.created),
            format_money(invoice.total, invoice.currency),
            invoice.status,
        )
    return table


def events_table(account: SupportAccount) -> Table | str:
    if not account.recent_events:
        return "No activity."
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0), show_header=False, expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for event in account.recent_events:
        by = f" ({event.actor})" if event.actor else ""
        # Plain Text, never markup: descriptions hold names and emails that users typed.
        table.add_row(format_date(event.created), Text(f"{event.description}{by}"))
    return table


class SupportConsole(ReportsFailedWorkers, Vertical):
    """The support console (`#support-console`)."""

    def __init__(self) -> None:
        super().__init__(id="support-console")
        self.looked_up: SupportAccount | None = None
        self.email_change_key = RetryKey()

    def compose(self) -> ComposeResult:
        with Vertical(id="console-search", classes="panel"):
            yield Words(id="console-signed-in", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Email")
                yield FieldInput(
                    placeholder="user@company.com", id="lookup-email", max_length=MAX_EMAIL_LENGTH, compact=True
                )
                yield Button("Look up", id="lookup", compact=True, variant="primary")
            yield Words(id="lookup-email-error", classes="field-error", markup=False)
            yield Note(id="lookup-status", classes="status-line", markup=False)
            yield Words(id="transfer-result")
        with Vertical(id="console-account", classes="panel"):
            yield Words(id="lookup-account")
            with Horizontal(id="console-account-actions"):
                yield Button("Transfer license and credits", id="transfer-start", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("New email")
                yield FieldInput(
                    placeholder="new@company.com", id="email-change-new", max_length=MAX_EMAIL_LENGTH, compact=True
                )
                yield Button("Change email", id="email-change-apply", compact=True)
            yield Words(id="email-change-new-error", classes="field-error", markup=False)
        yield Words(id="lookup-invoices", classes="panel")
        yield Words(id="lookup-events", classes="panel")
        yield OpenRequests()

    def on_mount(self) -> None:
        self.query_one("#console-search").border_title = "Support console"
        self.query_one("#lookup-invoices").border_title = "Recent invoices"
        self.query_one("#lookup-events").border_title = "Recent activity"
        self.query_one("#console-account").border_title = "Account"
        self.query_one("#transfer-result").display = False
        self.show_looked_up(None)
        disable_write_buttons(self)  # mounted after the page has shown the account
        self.query_one("#lookup-status", Note).say("")
        for line in self.query(".field-error"):
            line.display = False
        self.show_account(app_host(self.app).account)

    def show_account(self, state: AccountState) -> None:
        self.query_one(OpenRequests).show_account(state)
        if state.me is not None:
            self.query_one("#console-signed-in", Words).update(
                f"Signed in as {state.me.user.name} <{state.me.user.email}>, support agent. "
                "Look a user up by email."
            )

    # ---- entry points -------------------------------------------------------------------------

    def focus_lookup(self) -> None:
        self.query_one("#lookup-email").focus()

    def focus_email_change(self) -> None:
        self.query_one("#email-change-new" if self.looked_up else "#lookup-email").focus()

    # ---- look up ------------------------------------------------------------------------------

    @on(Input.Submitted, "#lookup-email")
    @on(Button.Pressed, "#lookup")
    def lookup(self) -> None:
        email = checked_email(self, "lookup-email")
        if email is not None:
            self.look_up(email)

    @on(OpenRequests.RequesterWanted)
    def look_up_requester(self, wanted: OpenRequests.RequesterWanted) -> None:
        self.query_one("#lookup-email", Input).value = wanted.email
        self.look_up(wanted.email, reveal=True)

    @work(exclusive=True, group="support-lookup", exit_on_error=False)
    async def look_up(self, email: str, note: str = "", *, reveal: bool = False) -> None:
        """Show the account of `email`, with `note` (what was just done) on the status line;
        `reveal` scrolls the account into view (asked from a request further down)."""
        client = app_host(self.app).client
        if client is None:
            return
        status = self.query_one("#lookup-status", Note)
        status.say(f"Looking {email} up…")
        try:
            account = await client.support_account(email)
        except Exception as error:  # every failure is shown, never a crash
            show_request_failure(self, error, {"email": "lookup-email"}, status)
            return
        status.say(note)
        self.query_one("#transfer-result", Words).display = False
        self.show_looked_up(account)
        if reveal:
            self.call_after_refresh(self.query_one("#console-search").scroll_visible, top=True, animate=False)

    def show_looked_up(self, account: SupportAccount | None) -> None:
        self.looked_up = account
        self.query_one("#console-account").display = account is not None
        in_workspace = account is not None and account.workspace is not None
        self.query_one("#lookup-invoices").display = in_workspace
        self.query_one("#lookup-events").display = in_workspace
        if account is None:
            return
        self.query_one("#lookup-account", Words).update(account_summary(account))
        self.query_one("#console-account-actions").display = in_workspace
        self.query_one("#lookup-invoices", Words).update(invoices_table(account))
        self.query_one("#lookup-events", Words).update(events_table(account))
        self.query_one("#email-change-new", Input).value = ""
        show_field_error(self, "email-change-new", "")

    # ---- transfer -----------------------------------------------------------------------------

    @on(Button.Pressed, "#transfer-start")
    @work(exclusive=True, group="support-transfer", exit_on_error=False)
    async def run_transfer(self) -> None:
        if app_host(self.app).client is None:
            return
        from_email = "" if self.looked_up is None else self.looked_up.user.email
        outcome = await self.app.push_screen_wait(TransferScreen(from_email))
        if outcome is not None:
            self.show_transfer_outcome(outcome)

    @work(exclusive=True, group="support-lookup", exit_on_error=False)
    async def show_transfer_outcome(self, outcome: TransferOutcome) -> None:
        """Both accounts and both workspaces read again, the figures before → after, the new
        account on screen (where the user now works)."""
        client = app_host(self.app).client
        if client is None:
            return
        transfer = outcome.transfer
        status = self.query_one("#lookup-status", Note)
        try:
            source_after, target_after, source, target = await gather_or_raise(
                read_figures(client, transfer.from_workspace),
                read_figures(client, transfer.to_workspace),
                client.support_account(transfer.from_email),
                client.support_account(transfer.to_email),
            )
        except Exception as error:
            failure = f"The transfer {transfer.id} went through, but reading both accounts again failed: {error}"
            status.say(failure, error=True)
            return
        self.show_looked_up(target)
        # With the license, the user left the old workspace: say where the old account stands now.
        where = f"in {source.workspace.name}" if source.workspace else "in no workspace now"
        status.say(
            f"Transfer {transfer.id} done; both workspaces' activity records it. {source.user.email} is {where}."
        )
        before_source, before_target = outcome.before
        result = self.query_one("#transfer-result", Words)
        result.update(
            transfer_table(
                TransferSide(transfer.from_email, before_source, source_after),
                TransferSide(transfer.to_email, before_target, target_after),
                after_label="now, read again",
            )
        )
        result.display = True

    # ---- email change -------------------------------------------------------------------------

    @on(Input.Submitted, "#email-change-new")
    @on(Button.Pressed, "#email-change-apply")
    @work(exclusive=True, group="support-email-change", exit_on_error=False)
    async def apply_email_change(self) -> None:
        account, client = self.looked_up, app_host(self.app).client
        new_email = checked_email(self, "email-change-new")
        if account is None or client is None or new_email is None:
            return
        old_email = account.user.email
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                "Change the email?",
                f"{account.user.name} will log in as {new_email} instead of {old_email}.",
                "Change email",
                cancel_label="Keep the email",
            )
        )
        if not confirmed:
            return
        request = EmailChangeRequest(user_email=old_email, new_email=new_email)
        status = self.query_one("#lookup-status", Note)
        try:
            key = self.email_change_key.for_request(request)
            user = await client.support_email_change(request, idempotency_key=key)
        except Exception as error:  # every refusal is shown beside the field, never a crash
            show_request_failure(self, error, {"new_email": "email-change-new"}, status)
            return
        self.email_change_key.succeeded()
        self.look_up(user.email, note=f"{user.name}'s email changed from {old_email} to {user.email}.")
