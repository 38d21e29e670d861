"""The transfer dialog (support console): move a license and credits from a user's old account to
the new one (API.md rule 10), after a confirmation that shows both sides before and after.

Step one, the form (`#transfer-form`): `#transfer-from` and `#transfer-to` (the old and the new
account's email), `#transfer-license` (move one paid seat with the user), `#transfer-phone`,
`#transfer-direct_email`, `#transfer-export` (credits per type), `#transfer-reason`; each field's
message under it (`#<field>-error`), the rest on `#transfer-status`; `#transfer-review` looks both
accounts up and goes on, `#transfer-cancel` (escape) closes.

Step two, the confirmation (`#transfer-confirmation`): `#transfer-preview`, a table of both
workspaces' licenses and credits now and after, computed from the two lookups;
`#transfer-reason-shown` says what moves, and why; `#transfer-confirm` sends
`POST /v1/support/transfers` (one idempotency key, reused while that transfer is retried),
`#transfer-back` (escape) returns to the form. A refusal goes back to the form, beside its field.

The dialog closes with a `TransferOutcome` (the transfer and the figures before it), or None.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import (
    CreditAmounts,
    SupportAccount,
    Transfer,
    TransferRequest,
    WorkspaceRef,
)
from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES, PLANS, CreditType
from kaspr_tui.billing.formatting import format_count
from kaspr_tui.billing.support_words import what_moves
from kaspr_tui.billing.validation import MAX_EMAIL_LENGTH, MAX_REASON_LENGTH
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.screens.support.forms import (
    RetryKey,
    checked_email,
    show_field_error,
    show_request_failure,
)
from kaspr_tui.state import app_host, gather_or_raise
from kaspr_tui.widgets.forms.field_input import FieldInput
from kaspr_tui.widgets.note import Note
from kaspr_tui.widgets.toggles import TickBox
from kaspr_tui.widgets.words import Words

TRANSFER_FIELDS = {
    "from_email": "transfer-from",
    "to_email": "transfer-to",
    "license": "transfer-license",
    **{f"credits.{credit_type}": f"transfer-{credit_type}" for credit_type in CREDIT_TYPES},
    "reason": "transfer-reason",
}
"""The transfer's API params → the field that shows the server's message about each."""


@dataclass(frozen=True)
class WorkspaceFigures:
    """What a transfer changes in one workspace: its licenses, and the credits left this period."""

    name: str
    seats: int
    credits: dict[CreditType, int]


@dataclass(frozen=True)
class TransferSide:
    email: str
    before: WorkspaceFigures
    after: WorkspaceFigures


@dataclass(frozen=True)
class TransferOutcome:
    transfer: Transfer
    before: tuple[WorkspaceFigures, WorkspaceFigures]
    """The old and the new workspace as the confirmation showed them."""


def figures_of(account: SupportAccount) -> WorkspaceFigures | None:
    """The account's workspace figures, or None for a user in no workspace."""
    if account.workspace is None or account.subscription is None:
        return None
    credits = {balance.type: balance.remaining for balance in account.credits}
    return WorkspaceFigures(account.workspace.name, account.subscription.seats, credits)


async def read_figures(client: BillingClient, workspace: WorkspaceRef) -> WorkspaceFigures:
    """A workspace's figures as the server has them now (support reads it by id)."""
    subscription, balances = await gather_or_raise(
        client.subscription(workspace=workspace.id), client.credits(workspace=workspace.id)
    )
    return WorkspaceFigures(workspace.name, subscription.seats, {b.type: b.remaining for b in balances})


def expected_sides(
    source: SupportAccount, target: SupportAccount, request: TransferRequest
) -> tuple[TransferSide, TransferSide]:
    """Both workspaces now and after `request`; both accounts must belong to a workspace.

    The credits asked leave the old pool and join the new one. The license takes one seat from
    the old workspace (never below one) and gives the new one a seat, which brings the new plan's
    included credits for that seat this period (rule 4: never fewer than already granted).
    """
    source_now, target_now = figures_of(source), figures_of(target)
    assert source_now is not None and target_now is not None and target.subscription is not None
    moved = request.credits.model_dump()
    license_moves = 1 if request.license else 0
    target_seats = target_now.seats + license_moves
    target_plan = PLANS[target.subscription.plan]
    granted = {
        balance.type: max(0, target_plan.included[balance.type] * target_seats - balance.included) * license_moves
        for balance in target.credits
    }
    source_after = WorkspaceFigures(
        source_now.name,
        max(1, source_now.seats - license_moves),
        {credit_type: left - moved[credit_type] for credit_type, left in source_now.credits.items()},
    )
    target_after = WorkspaceFigures(
        target_now.name,
        target_seats,
        {
            credit_type: left + moved[credit_type] + granted.get(credit_type, 0)
            for credit_type, left in target_now.credits.items()
        },
    )
    return (
        TransferSide(source.user.email, source_now, source_after),
        TransferSide(target.user.email, target_now, target_after),
    )


def transfer_table(source: TransferSide, target: TransferSide, *, after_label: str = "after") -> Table:
    """Both workspaces side by side, each figure as `now → after`; what changes stands out."""
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0), show_edge=False)
    # Plain Text, never markup: names and emails come from users and may hold brackets.
    table.add_column("")
    table.add_column(Text(f"Old account ({source.before.name})"), overflow="fold")
    table.add_column(Text(f"New account ({target.before.name})"), overflow="fold")
    table.add_row("Email", Text(source.email), Text(target.email))

    def change(before: int, after: int) -> Text:
        return Text(f"{format_count(before)} → {format_count(after)}", style="bold" if before != after else "")

    table.add_row(
        "Licenses", change(source.before.seats, source.after.seats), change(target.before.seats, target.after.seats)
    )
    for credit_type in CREDIT_TYPES:
        table.add_row(
            CREDIT_LABELS[credit_type],
            change(source.before.credits.get(credit_type, 0), source.after.credits.get(credit_type, 0)),
            change(target.before.credits.get(credit_type, 0), target.after.credits.get(credit_type, 0)),
        )
    table.caption = f"now → {after_label}; credits are what is left this period"
    table.caption_justify = "left"
    return table


class TransferScreen(Dialog[TransferOutcome | None]):
    BINDINGS = [Binding("escape", "back", "Back", id="transfer.back")]

    def __init__(self, from_email: str = "") -> None:
        super().__init__()
        self.from_email = from_email
        self.key = RetryKey()
        self.request: TransferRequest | None = None
        self.sides: tuple[TransferSide, TransferSide] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-dialog", classes="dialog -warning"):
            with Vertical(id="transfer-form"):
                yield Words(
                    "Move a user's license and credits from their old account to the new one.",
                    id="transfer-intro",
                    markup=False,
                )
                yield from self._row(
                    "From (old)",
                    FieldInput(
                        self.from_email, placeholder="old@company.com", id="transfer-from",
                        max_length=MAX_EMAIL_LENGTH, compact=True,
                    ),
                )
                to_field = FieldInput(
                    placeholder="new@company.com", id="transfer-to", max_length=MAX_EMAIL_LENGTH, compact=True
                )
                yield from self._row("To (new)", to_field)
                yield TickBox("Move their license (one paid seat)", id="transfer-license", compact=True)
                yield Words(id="transfer-license-error", classes="field-error", markup=False)
                with Horizontal(id="transfer-credits", classes="form-row"):
                    for index, credit_type in enumerate(CREDIT_TYPES):
                        label = CREDIT_LABELS[credit_type].removesuffix(" credits")
                        yield Label(label, classes="-after" if index else "")
                        yield FieldInput("0", type="integer", id=f"transfer-{credit_type}", compact=True)
                for credit_type in CREDIT_TYPES:
                    yield Words(id=f"transfer-{credit_type}-error", classes="field-error", markup=False)
                yield from self._row(
                    "Reason",
                    FieldInput(
                        placeholder="Why, for both workspaces' activity", id="transfer-reason",
                        max_length=MAX_REASON_LENGTH, compact=True,
                    ),
                )
                yield Note(id="transfer-status", classes="transfer-status error-line", markup=False)
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Cancel", id="transfer-cancel", compact=True, action="screen.back")
                    yield Button("Review transfer", id="transfer-review", compact=True, variant="primary")
            with Vertical(id="transfer-confirmation"):
                yield Words(id="transfer-preview")
                yield Words(id="transfer-reason-shown", markup=False)
                yield Note(id="transfer-confirm-status", classes="transfer-status error-line", markup=False)
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Back", id="transfer-back", compact=True, action="screen.back")
                    yield Button("Transfer now", id="transfer-confirm", compact=True, variant="warning")

    @staticmethod
    def _row(label: str, field: Input) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label)
            yield field
        yield Words(id=f"{field.id}-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#transfer-dialog").border_title = "Transfer license and credits"
        for line in self.query(".field-error, .transfer-status"):
            line.display = False
        self.query_one("#transfer-confirmation").display = False
        self.query_one("#transfer-to" if self.from_email else "#transfer-from").focus()

    def _client(self) -> BillingClient:
        client = app_host(self.app).client
        assert client is not None, "the console opens the dialog only once the app has a client"
        return client

    @property
    def confirming(self) -> bool:
        return bool(self.query_one("#transfer-confirmation").display)

    def action_back(self) -> None:
        if self.confirming:
            self.show_form()
        else:
            self.dismiss(None)

    def show_form(self) -> None:
        self.query_one("#transfer-confirmation").display = False
        self.query_one("#transfer-form").display = True
        self.query_one("#transfer-review").focus()

    # ---- step one: the form -----------------------------------------------------------------

    def read_request(self) -> TransferRequest | None:
        """The transfer the form asks for, or None with every problem shown beside its field."""
        from_email = checked_email(self, "transfer-from")
        to_email = checked_email(self, "transfer-to")
        if from_email and to_email and from_email.lower() == to_email.lower():
            show_field_error(self, "transfer-to", "The new account must be another account than the old one.")
            to_email = None
        amounts: dict[str, int] = {}
        for credit_type in CREDIT_TYPES:
            text = self.query_one(f"#transfer-{credit_type}", Input).value.strip() or "0"
            valid = text.isdigit()
            problem = "" if valid else "Enter a whole number of credits, 0 or more."
            show_field_error(self, f"transfer-{credit_type}", problem)
            if valid:
                amounts[credit_type] = int(text)
        license_moves = self.query_one("#transfer-license", Checkbox).value
        nothing = len(amounts) == len(CREDIT_TYPES) and not license_moves and not any(amounts.values())
        problem = "Choose what to move: the license, credits, or both." if nothing else ""
        show_field_error(self, "transfer-license", problem)
        reason = self.query_one("#transfer-reason", Input).value.strip()
        show_field_error(self, "transfer-reason", "" if reason else "Say why: both workspaces' activity shows it.")
        if not (from_email and to_email and reason) or nothing or len(amounts) < len(CREDIT_TYPES):
            return None
        return TransferRequest(
            from_email=from_email,
            to_email=to_email,
            license=license_moves,
            credits=CreditAmounts(**amounts),
            reason=reason,
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#transfer-review")
    def review(self) -> None:
        request = self.read_request()
        if request is not None:
            self.query_one("#transfer-review", Button).disabled = True
            self.look_up_both(request)

    @work(exclusive=True, group="transfer-lookup", exit_on_error=False)
    async def look_up_both(self, request: TransferRequest) -> None:
        status = self.query_one("#transfer-status", Note)
        status.say("")
        try:
            source = await self._look_up(request.from_email, "transfer-from")
            target = await self._look_up(request.to_email, "transfer-to")
        except ApiError as error:
            if error.code != "resource_missing":
                status.say(str(error), error=True)
            return
        finally:
            self.query_one("#transfer-review", Button).disabled = False
        if self._check_accounts(source, target, request):
            self.show_confirmation(request, expected_sides(source, target, request))

    async def _look_up(self, email: str, field_id: str) -> SupportAccount:
        try:
            return await self._client().support_account(email)
        except ApiError as error:
            if error.code == "resource_missing":
                show_field_error(self, field_id, f"No Kaspr account uses {email}.")
                self.query_one(f"#{field_id}").focus()
            raise

    def _check_accounts(self, source: SupportAccount, target: SupportAccount, request: TransferRequest) -> bool:
        """What the confirmation needs: both accounts in a workspace, another one each, and the
        credits asked still there; each problem beside its field."""
        problems: dict[str, str] = {}
        if source.workspace is None:
            problems["transfer-from"] = f"{source.user.email} belongs to no workspace: there is nothing to move."
        if target.workspace is None:
            problems["transfer-to"] = f"{target.user.email} belongs to no workspace to move anything to."
        elif source.workspace is not None and source.workspace.id == target.workspace.id:
            problems["transfer-to"] = f"Both accounts are in {target.workspace.name}: there is nothing to move."
        left = {balance.type: balance.remaining for balance in source.credits}
        for credit_type in CREDIT_TYPES:
            quantity = getattr(request.credits, credit_type)
            if source.workspace is not None and quantity > left.get(credit_type, 0):
                problems[f"transfer-{credit_type}"] = (
                    f"Only {format_count(left.get(credit_type, 0))} {CREDIT_LABELS[credit_type].lower()} left "
                    f"in {source.workspace.name} this period."
                )
        for field_id, message in problems.items():
            show_field_error(self, field_id, message)
        if problems:
            self.query_one(f"#{next(iter(problems))}").focus()
        return not problems

    # ---- step two: the confirmation -----------------------------------------------------------

    def show_confirmation(self, request: TransferRequest, sides: tuple[TransferSide, TransferSide]) -> None:
        self.request, self.sides = request, sides
        self.query_one("#transfer-preview", Words).update(transfer_table(*sides))
        moved = {credit_type: getattr(request.credits, credit_type) for credit_type in CREDIT_TYPES}
        moves = what_moves(request.from_email, request.license, moved, sides[0].before.name)
        summary = f"{moves}\nReason: {request.reason}"
        self.query_one("#transfer-reason-shown", Words).update(summary)
        self.query_one("#transfer-confirm-status", Note).say("")
        self.query_one("#transfer-form").display = False
        self.query_one("#transfer-confirmation").display = True
        self.query_one("#transfer-back").focus()

    @on(Button.Pressed, "#transfer-confirm")
    def confirm(self) -> None:
        if self.request is not None:
            self.query_one("#transfer-confirm", Button).disabled = True
            self.send_transfer(self.request)

    @work(exclusive=True, group="transfer-send", exit_on_error=False)
    async def send_transfer(self, request: TransferRequest) -> None:
        status = self.query_one("#transfer-confirm-status", Note)
        status.say("Transferring…")
        try:
            transfer = await self._client().support_transfer(request, idempotency_key=self.key.for_request(request))
        except Exception as error:  # every refusal is shown, never a crash
            self.query_one("#transfer-confirm", Button).disabled = False
            if isinstance(error, ApiError) and any(param in TRANSFER_FIELDS for param in error.field_errors()):
                self.show_form()
                show_request_failure(self, error, TRANSFER_FIELDS, self.query_one("#transfer-status", Note))
            else:  # a lost answer: the same transfer can be sent again from here, with the same key
                status.say(str(error), error=True)
            return
        self.key.succeeded()
        assert self.sides is not None
        self.dismiss(TransferOutcome(transfer, (self.sides[0].before, self.sides[1].before)))
