"""`kaspr-tui members [list]`, `members invite EMAIL [--role]`, `members remove EMAIL`,
`members role EMAIL admin|member`, `members resend EMAIL`.

`--json` prints `[Member, …]` for the list (every page), the `Member` for an invitation and a role
change, the `InvitationResent` for a resend.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import InvitationCreate, Member
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.member_words import person_words, resend_words, role_change_question, role_words
from kaspr_tui.billing.validation import validate_email
from kaspr_tui.billing.words import plural
from kaspr_tui.commands.runtime import CommandError, Context, Exit, confirm, table


async def show(context: Context) -> Exit:
    async with context.session() as client:
        members = [member async for member in client.iter_members()]
    if context.args.json:
        context.out.data(members)
        return Exit.OK
    rows = [
        (
            member.name or "—",
            member.email,
            member.role,
            member.status,
            format_date(member.joined_at) if member.joined_at else "—",
        )
        for member in members
    ]
    for line in table(("Name", "Email", "Role", "Status", "Joined"), rows):
        context.out.say(line)
    return Exit.OK


def checked_email(email: str, what: str = "EMAIL") -> str:
    """The address, or exit code 2 with the server's own rule for it."""
    email = email.strip()
    problem = validate_email(email)
    if problem is not None:
        raise CommandError(f"{what} {email!r}: {problem.message}", Exit.USAGE)
    return email


async def invite(context: Context) -> Exit:
    email = checked_email(context.args.email)
    async with context.session() as client:
        member = await client.invite(InvitationCreate(email=email, role=context.args.role))
        subscription = await client.subscription()
    if context.args.json:
        context.out.data(member)
    context.out.say(
        f"Invited {member.email} as {member.role}: they take one license; "
        f"{plural(subscription.seats_available, 'license')} left free."
    )
    return Exit.OK


async def find_member(client: BillingClient, email: str) -> Member:
    """The member or invitation with this address (case-insensitive), or exit code 5."""
    async for member in client.iter_members():
        if member.email.lower() == email.lower():
            return member
    raise CommandError(f"Nobody with {email} is a member of this workspace or invited to it.", Exit.NOT_FOUND)


async def remove(context: Context) -> Exit:
    email = context.args.email.strip()
    async with context.session() as client:
        member = await find_member(client, email)
        me = await client.me()
        workspace = me.workspace.name if me.workspace else "the workspace"
        if member.status == "invited":
            question = f"Revoke the invitation of {member.email} to {workspace}? Its license becomes free."
        else:
            question = (
                f"Remove {person_words(member.name, member.email)} from {workspace}? Their license becomes free "
                "for someone else; the number of licenses you pay for does not change."
            )
        context.out.paragraph(question, note=True)
        confirm("Go ahead?", yes=context.args.yes, out=context.out)
        if member.status == "invited":
            await client.revoke_invitation(member.id)
            context.out.say(f"The invitation of {member.email} is revoked.")
        else:
            with advice_for_the_last_admin():
                await client.remove_member(member.id)
            context.out.say(f"{member.email} is no longer a member of {workspace}.")
    return Exit.OK


@contextmanager
def advice_for_the_last_admin() -> Iterator[None]:
    """The server's refusal to leave a workspace without an admin, and the command that fixes it (exit 6)."""
    try:
        yield
    except ApiError as error:
        if error.code != "last_admin":
            raise
        raise CommandError(f"{error.message} `kaspr-tui members role EMAIL admin` makes someone an admin.",
                           Exit.CONFLICT) from None


async def change_role(context: Context) -> Exit:
    email, role = context.args.email.strip(), context.args.role
    async with context.session() as client:
        member = await find_member(client, email)
        if member.role != role:
            me = await client.me()
            workspace = me.workspace.name if me.workspace else "the workspace"
            question = role_change_question(person_words(member.name, member.email), role, workspace,
                                            invited=member.status == "invited", yourself=member.id == me.user.id)
            context.out.paragraph(question, note=True)
            confirm("Go ahead?", yes=context.args.yes, out=context.out)
            with advice_for_the_last_admin():
                changed = await client.change_role(member.id, role)
            done = f"{changed.email} is now {role_words(changed.role)}."
        else:
            changed, done = member, f"{member.email} is already {role_words(role)}; nothing changed."
    if context.args.json:
        context.out.data(changed)
    context.out.say(done)
    return Exit.OK


async def resend(context: Context) -> Exit:
    email = context.args.email.strip()
    async with context.session() as client:
        invitation = await find_member(client, email)
        if invitation.status != "invited":
            raise CommandError(f"{invitation.email} has joined already: there is no pending invitation to resend.",
                               Exit.NOT_FOUND)
        answer = await client.resend_invitation(invitation.id)
    if context.args.json:
        context.out.data(answer)
    context.out.say(resend_words(answer.invitation.email, sent=answer.sent))
    return Exit.OK
