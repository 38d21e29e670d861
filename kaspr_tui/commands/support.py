"""`kaspr-tui support request …` (ask support for a change), `support requests [--open]` (a
customer's own requests; with a support key, every workspace's), and with a support key
`support close TICKET`, `support lookup EMAIL` and `support transfer --from --to` (API.md rule 10).

`--json` prints the `SupportTicket` (a list of them for `requests`), the `SupportAccount` or the
`Transfer`.
"""

from __future__ import annotations

import argparse

from kaspr_tui.api import ApiError, BillingClient, new_idempotency_key
from kaspr_tui.api.models import (
    CreditAmounts,
    SupportAccount,
    SupportRequestCreate,
    SupportRequestStatus,
    TransferRequest,
)
from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES, CreditType
from kaspr_tui.billing.formatting import format_count, format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.support_words import (
    DELETE_CONFIRMATION,
    account_summary_lines,
    deletion_message,
    email_change_message,
    request_cells,
    request_status,
    request_summary,
    ticket_line,
    transfer_message,
    what_moves,
    with_note,
)
from kaspr_tui.commands.members import checked_email
from kaspr_tui.commands.runtime import CommandError, Context, Exit, confirm, table

# ---- a customer's requests ------------------------------------------------------------------


async def _send_request(context: Context, client: BillingClient, request: SupportRequestCreate, email: str) -> Exit:
    ticket = await client.create_support_request(request)
    if context.args.json:
        context.out.data(ticket)
    context.out.say(ticket_line(ticket.id, ticket.status, ticket.created, email))
    return Exit.OK


async def request_email_change(context: Context) -> Exit:
    new_email = checked_email(context.args.new_email, "NEW_EMAIL")
    async with context.session() as client:
        email = (await client.me()).user.email
        message = with_note(email_change_message(email, new_email), context.args.message)
        request = SupportRequestCreate(kind="change_email", message=message, new_email=new_email)
        return await _send_request(context, client, request, email)


async def request_transfer(context: Context) -> Exit:
    new_email = checked_email(context.args.to, "--to")
    async with context.session() as client:
        email = (await client.me()).user.email
        message = with_note(transfer_message(email, new_email), context.args.message)
        request = SupportRequestCreate(kind="account_transfer", message=message, new_email=new_email)
        return await _send_request(context, client, request, email)


async def request_deletion(context: Context) -> Exit:
    context.out.paragraph(DELETE_CONFIRMATION, note=True)
    confirm("Ask support to delete your account?", yes=context.args.yes, out=context.out, refusal="nothing was sent")
    async with context.session() as client:
        email = (await client.me()).user.email
        request = SupportRequestCreate(
            kind="delete_account", message=with_note(deletion_message(email), context.args.message)
        )
        return await _send_request(context, client, request, email)


# ---- the inbox ------------------------------------------------------------------------------

CUSTOMER_COLUMNS = ("Ticket", "Kind", "Status", "Sent", "From")
STAFF_COLUMNS = ("Ticket", "Kind", "Status", "Sent", "From", "Workspace")


async def list_requests(context: Context) -> Exit:
    """A customer's own requests (an admin's: the workspace's); a support key's: every workspace's."""
    status: SupportRequestStatus | None = "open" if context.args.open else None
    async with context.session() as client:
        staff = (await client.me()).role == "support"
        listing = client.iter_support_inbox(status=status) if staff else client.iter_support_requests(status=status)
        tickets = [ticket async for ticket in listing]
    if context.args.json:
        context.out.data(tickets)
        return Exit.OK
    if not tickets:
        context.out.note("No open support requests." if status else "No support requests yet.")
        return Exit.OK
    columns = STAFF_COLUMNS if staff else CUSTOMER_COLUMNS
    for line in table(columns, [request_cells(ticket, columns) for ticket in tickets]):
        context.out.say(line)
    return Exit.OK


async def close_request(context: Context) -> Exit:
    ticket_id = context.args.ticket.strip()
    async with context.session() as client:
        try:
            ticket = await client.support_request(ticket_id)
        except ApiError as error:
            if error.status == 404:
                raise CommandError(f"No support request {ticket_id}.", Exit.NOT_FOUND) from None
            raise
        if ticket.status == "open":
            for line in request_summary(ticket):
                context.out.say(line)
            confirm("Close this request?", yes=context.args.yes, out=context.out)
            ticket = await client.close_support_request(ticket.id, idempotency_key=new_idempotency_key())
            verb = "is now"
        else:
            verb = "was already"  # closing twice changes nothing
    if context.args.json:
        context.out.data(ticket)
    by = f" by {ticket.closed_by}" if ticket.closed_by else ""
    context.out.say(f"{ticket.id} {verb} {request_status(ticket.status, ticket.closed_at)}{by}.")
    return Exit.OK


# ---- support staff --------------------------------------------------------------------------


async def _look_up(client: BillingClient, email: str) -> SupportAccount:
    try:
        return await client.support_account(email)
    except ApiError as error:
        if error.status == 404:
            raise CommandError(f"No Kaspr account uses {email}.", Exit.NOT_FOUND) from None
        raise


def account_lines(account: SupportAccount) -> list[str]:
    """Who the user is and what their workspace has: plan, licenses, credits, invoices, activity. No card."""
    lines = account_summary_lines(account)
    if account.workspace is None or account.subscription is None:
        return lines
    lines += ["", "Recent invoices"]
    invoice_rows = [
        (
            invoice.number or invoice.id,
            format_date(invoice.created),
            format_money(invoice.total, invoice.currency),
            invoice.status,
        )
        for invoice in account.recent_invoices
    ]
    lines += [f"  {row}" for row in table(("", "", "", ""), invoice_rows, right=(2,))[1:]] or ["  No invoices."]
    lines += ["", "Recent activity"]
    lines += [
        f"  {format_date(event.created)}  {event.description}{f' ({event.actor})' if event.actor else ''}"
        for event in account.recent_events
    ] or ["  No activity."]
    return lines


async def lookup(context: Context) -> Exit:
    email = checked_email(context.args.email)
    async with context.session() as client:
        account = await _look_up(client, email)
    if context.args.json:
        context.out.data(account)
    else:
        for line in account_lines(account):
            context.out.say(line)
    return Exit.OK


def transfer_request(args: argparse.Namespace) -> TransferRequest:
    """The transfer the options ask for, or exit code 2 with every problem at once."""
    problems = []
    from_email, to_email = args.from_email.strip(), args.to_email.strip()
    for option, email in (("--from", from_email), ("--to", to_email)):
        try:
            checked_email(email, option)
        except CommandError as error:
            problems.append(str(error))
    if from_email.lower() == to_email.lower():
        problems.append("--to: the new account must be another account than the old one.")
    credits: dict[CreditType, int] = {}
    for credit_type, quantity in args.credits:
        if credit_type in credits:
            problems.append(f"--credits {credit_type} is given twice: give each type once.")
        credits[credit_type] = quantity
    if not args.license and not credits:
        problems.append("Choose what to move: --license, --credits TYPE=QTY, or both.")
    reason = args.reason.strip()
    if not reason:
        problems.append("--reason: say why; both workspaces' activity shows it.")
    if problems:
        raise CommandError("\n".join(problems), Exit.USAGE)
    return TransferRequest(
        from_email=from_email,
        to_email=to_email,
        license=args.license,
        credits=CreditAmounts(**credits),
        reason=reason,
    )


def check_accounts(source: SupportAccount, target: SupportAccount, request: TransferRequest) -> None:
    """Both accounts in a workspace, another one each, and the credits asked still there; else exit code 2."""
    problems = []
    if source.workspace is None:
        problems.append(f"{source.user.email} belongs to no workspace: there is nothing to move.")
    if target.workspace is None:
        problems.append(f"{target.user.email} belongs to no workspace to move anything to.")
    elif source.workspace is not None and source.workspace.id == target.workspace.id:
        problems.append(f"Both accounts are in {target.workspace.name}: there is nothing to move.")
    left = {balance.type: balance.remaining for balance in source.credits}
    for credit_type, quantity in moved_credits(request).items():
        if source.workspace is not None and quantity > left.get(credit_type, 0):
            problems.append(
                f"Only {format_count(left.get(credit_type, 0))} {CREDIT_LABELS[credit_type].lower()} left "
                f"in {source.workspace.name} this period."
            )
    if problems:
        raise CommandError("\n".join(problems), Exit.USAGE)


def moved_credits(request: TransferRequest) -> dict[CreditType, int]:
    return {credit_type: getattr(request.credits, credit_type) for credit_type in CREDIT_TYPES}


def figures_table(source: SupportAccount, target: SupportAccount) -> list[str]:
    """Both workspaces now: licenses and credits left this period."""
    assert source.workspace and target.workspace and source.subscription and target.subscription

    def left(account: SupportAccount, credit_type: CreditType) -> str:
        return format_count(next((b.remaining for b in account.credits if b.type == credit_type), 0))

    rows = [
        ("Email", source.user.email, target.user.email),
        ("Licenses", str(source.subscription.seats), str(target.subscription.seats)),
    ]
    rows += [(CREDIT_LABELS[t], left(source, t), left(target, t)) for t in CREDIT_TYPES]
    headers = ("Now", f"Old account ({source.workspace.name})", f"New account ({target.workspace.name})")
    return table(headers, rows)


async def transfer(context: Context) -> Exit:
    request = transfer_request(context.args)
    async with context.session() as client:
        source = await _look_up(client, request.from_email)
        target = await _look_up(client, request.to_email)
        check_accounts(source, target, request)
        assert source.workspace is not None
        for line in figures_table(source, target):
            context.out.say(line)
        context.out.say("")
        context.out.say(
            what_moves(request.from_email, request.license, moved_credits(request), source.workspace.name)
        )
        context.out.say(f"Reason: {request.reason}")
        confirm("Transfer now?", yes=context.args.yes, out=context.out)
        key = context.args.idempotency_key or new_idempotency_key()
        done = await client.support_transfer(request, idempotency_key=key)
    if context.args.json:
        context.out.data(done)
    context.out.say(f"Transferred ({done.id}) from {done.from_workspace.name} to {done.to_workspace.name}.")
    return Exit.OK
