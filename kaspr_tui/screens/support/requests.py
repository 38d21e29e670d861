"""What customers (admin and member keys) ask support for, in the words of Kaspr's help article.

- `#support-contact`: how to reach support.
- `#support-change-email`: request an email change: `#request-new-email` (checked with the
  server's rule first; the server's refusal shows under it, `#request-new-email-error`), sent by
  `#request-email-change`; the ticket or the failure on `#request-email-change-status`.
- `#support-changing-jobs`: the article's two options. Option 1, a new account with the new
  company email and a transfer by support: `#request-transfer-email`, `#request-transfer-message`,
  `#request-transfer`, `#request-transfer-status`. Option 2, keep logging in, is explained only.
- `#support-deleting`: deleting the account deletes the subscription: `#request-delete` asks
  support first (`delete_account`), after a confirmation; `#request-delete-status`.
- `#support-your-requests`: the requests sent, with their ticket and status (`inbox.YourRequests`).

Each request is one `POST /v1/support_requests` with one idempotency key, reused while that same
request is retried.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from kaspr_tui.api.models import SupportRequestCreate, SupportTicket
from kaspr_tui.billing.support_words import (
    DELETE_CONFIRMATION,
    deletion_message,
    email_change_message,
    ticket_line,
    transfer_message,
    with_note,
)
from kaspr_tui.billing.validation import MAX_EMAIL_LENGTH, MAX_MESSAGE_LENGTH
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.screens.failures import ReportsFailedWorkers
from kaspr_tui.screens.read_only import disable_write_buttons
from kaspr_tui.screens.support.forms import (
    RetryKey,
    checked_email,
    show_request_failure,
)
from kaspr_tui.screens.support.inbox import YourRequests
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.forms.field_input import FieldInput
from kaspr_tui.widgets.note import Note
from kaspr_tui.widgets.words import Words

SUPPORT_EMAIL = "support@kaspr.io"

CONTACT = (
    "Need more help? If you haven't found the answer to your question here, please reach out "
    f"to our support team via chat or at {SUPPORT_EMAIL}."
)
CHANGE_EMAIL = (
    "To change the email address of your account, ask our support team: give the new address "
    "and they will change it for you."
)
CHANGING_JOBS = (
    "No worries! You can keep your Kaspr account details when transitioning to a new role or "
    "company. It is possible to transfer your current license and credits to your new role. "
    "You have two options:"
)
NEW_ACCOUNT_OPTION = (
    "1. Create a new account using your new company email, then ask our team here to transfer "
    "your license and credits to it."
)
KEEP_LOGGING_IN_OPTION = (
    "2. Continue logging into your current Kaspr account, even if your work email is "
    "deactivated: nothing to ask, your license and credits stay where they are."
)
DELETING = (
    "Deleting your account will also delete your subscription plan, so it's best practice to "
    "contact our team beforehand if you wish to keep your plan."
)


@dataclass
class RequestForm:
    """One request form of the page: its send button, its message line, the API params its
    fields answer for (param → field id), and the key of the request it is sending."""

    button: str
    status: str
    fields: dict[str, str]
    key: RetryKey = field(default_factory=RetryKey)
    sending: bool = False
    """A request is in flight: another Enter or click sends nothing."""
    sent: tuple[SupportRequestCreate, SupportTicket] | None = None
    """The last request filed and its ticket: the same one again is not filed twice."""


class CustomerRequests(ReportsFailedWorkers, Vertical):
    """The customers' half of the Support page (`#support-requests`)."""

    def __init__(self) -> None:
        super().__init__(id="support-requests")
        self.email_change_form = RequestForm(
            "request-email-change", "request-email-change-status", {"new_email": "request-new-email"}
        )
        self.transfer_form = RequestForm(
            "request-transfer",
            "request-transfer-status",
            {"new_email": "request-transfer-email", "message": "request-transfer-message"},
        )
        self.delete_form = RequestForm("request-delete", "request-delete-status", {})

    def compose(self) -> ComposeResult:
        yield Words(CONTACT, id="support-contact", classes="panel", markup=False)
        with Vertical(id="support-change-email", classes="panel"):
            yield Words(CHANGE_EMAIL, classes="request-intro", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("New email")
                yield FieldInput(
                    placeholder="name@company.com", id="request-new-email", max_length=MAX_EMAIL_LENGTH, compact=True
                )
                yield Button("Send request", id="request-email-change", compact=True)
            yield Words(id="request-new-email-error", classes="field-error", markup=False)
            yield Note(id="request-email-change-status", classes="request-status status-line", markup=False)
        with Vertical(id="support-changing-jobs", classes="panel"):
            yield Words(CHANGING_JOBS, markup=False)
            yield Words(NEW_ACCOUNT_OPTION, classes="option request-intro", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("New email")
                yield FieldInput(
                    placeholder="you@new-company.com", id="request-transfer-email", max_length=MAX_EMAIL_LENGTH,
                    compact=True,
                )
            yield Words(id="request-transfer-email-error", classes="field-error", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Message")
                yield FieldInput(
                    placeholder="Anything support should know (optional)",
                    id="request-transfer-message",
                    max_length=MAX_MESSAGE_LENGTH,
                    compact=True,
                )
                yield Button("Ask for the transfer", id="request-transfer", compact=True)
            yield Words(id="request-transfer-message-error", classes="field-error", markup=False)
            yield Note(id="request-transfer-status", classes="request-status status-line", markup=False)
            yield Words(KEEP_LOGGING_IN_OPTION, classes="option", markup=False)
        with Vertical(id="support-deleting", classes="panel"):
            yield Words(DELETING, markup=False)
            yield Button("Contact support before deleting", id="request-delete", compact=True)
            yield Note(id="request-delete-status", classes="request-status status-line", markup=False)
        yield YourRequests()

    def on_mount(self) -> None:
        self.query_one("#support-contact").border_title = "Contact support"
        self.query_one("#support-change-email").border_title = "Change your email address"
        self.query_one("#support-changing-jobs").border_title = "Planning to change jobs?"
        self.query_one("#support-deleting").border_title = "Deleting your account"
        for line in self.query(".field-error, .request-status"):
            line.display = False
        disable_write_buttons(self)  # mounted after the page has shown the account

    def show_account(self, state: AccountState) -> None:
        self.query_one(YourRequests).show_account(state)

    # ---- entry points -------------------------------------------------------------------------

    def focus_email_change(self) -> None:
        self.query_one("#request-new-email").focus()

    def focus_transfer(self) -> None:
        self.query_one("#request-transfer-email").focus()

    def ask_before_deleting(self) -> None:
        self.query_one("#request-delete").focus()
        self.confirm_deletion_request()

    # ---- the requests -------------------------------------------------------------------------

    @property
    def signed_in_email(self) -> str:
        me = app_host(self.app).account.me
        return "" if me is None else me.user.email

    @on(Input.Submitted, "#request-new-email")
    @on(Button.Pressed, "#request-email-change")
    def request_email_change(self) -> None:
        new_email = checked_email(self, "request-new-email")
        if new_email is None:
            return
        message = email_change_message(self.signed_in_email, new_email)
        self.send_request(
            self.email_change_form, SupportRequestCreate(kind="change_email", message=message, new_email=new_email)
        )

    @on(Input.Submitted, "#request-transfer-email, #request-transfer-message")
    @on(Button.Pressed, "#request-transfer")
    def request_account_transfer(self) -> None:
        new_email = checked_email(self, "request-transfer-email")
        if new_email is None:
            return
        note = self.query_one("#request-transfer-message", Input).value.strip()
        message = with_note(transfer_message(self.signed_in_email, new_email), note)
        self.send_request(
            self.transfer_form,
            SupportRequestCreate(
                kind="account_transfer", message=message, new_email=new_email
            ),
        )

    @on(Button.Pressed, "#request-delete")
    @work(group="support-delete-confirm", exclusive=True, exit_on_error=False)
    async def confirm_deletion_request(self) -> None:
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen("Delete your account?", DELETE_CONFIRMATION, "Ask support", danger=True)
        )
        if confirmed:
            message = deletion_message(self.signed_in_email)
            self.send_request(self.delete_form, SupportRequestCreate(kind="delete_account", message=message))

    @work(group="support-requests", exit_on_error=False)
    async def send_request(self, form: RequestForm, request: SupportRequestCreate) -> None:
        client = app_host(self.app).client
        if client is None:
            return
        button = self.query_one(f"#{form.button}", Button)
        status = self.query_one(f"#{form.status}", Note)
        if form.sending:
            return
        if form.sent is not None and form.sent[0] == request:
            sent = form.sent[1]
            lead = "This request was already sent"
            status.say(ticket_line(sent.id, sent.status, sent.created, self.signed_in_email, lead=lead))
            return
        form.sending = True
        button.disabled = True
        status.say("Sending your request…")
        try:
            ticket = await client.create_support_request(request, idempotency_key=form.key.for_request(request))
        except Exception as error:  # every failure is shown on the form, never a crash
            show_request_failure(self, error, form.fields, status)
            return
        finally:
            form.sending = False
            button.disabled = False
        form.key.succeeded()
        form.sent = (request, ticket)
        status.say(ticket_line(ticket.id, ticket.status, ticket.created, self.signed_in_email))
        # The request is now in the workspace's activity feed, which the dashboard shows, and in
        # "Your requests", which a new load of the account reads again.
        app_host(self.app).load_account()
