"""What changing a member's role and resending an invitation say: pure, no I/O.

The server's audit feed, the Workspace page and `kaspr-tui members` use the same words.
"""

from __future__ import annotations

ADMIN_POWERS = "Admins manage billing, licenses and members."


def role_words(role: str) -> str:
    """`an admin`, `a member`: a workspace role in a sentence."""
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def person_words(name: str | None, email: str) -> str:
    """`Bastien Moreau (bastien@acme.example)`, or the address alone for someone not joined yet."""
    return f"{name} ({email})" if name else email


def role_change_question(
    who: str, role: str, workspace_name: str, *, invited: bool, yourself: bool
) -> str:
    """The question asked before making `who` (see `person_words`) `role`."""
    if invited:
        return (
            f"Make the invitation of {who} one for {role_words(role)} of {workspace_name}? "
            f"They become {role_words(role)} when they accept it. {ADMIN_POWERS}"
        )
    if role == "admin":
        return f"Make {who} an admin of {workspace_name}? {ADMIN_POWERS}"
    if yourself:
        return (
            f"Make yourself a member of {workspace_name}? You will no longer manage billing, "
            "licenses or members here; only another admin can make you an admin again."
        )
    return f"Make {who} a member of {workspace_name}? They will no longer manage billing, licenses or members."


def resend_words(email: str, *, sent: bool) -> str:
    """What a resend did: sent, or not, because the invitation went out less than a minute ago."""
    if sent:
        return f"The invitation of {email} was sent again."
    return f"The invitation of {email} went out less than a minute ago, so it was not sent again."
