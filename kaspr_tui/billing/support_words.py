"""What a customer's request to support says, and what a support transfer moves: pure, no I/O.

The TUI's support page (`screens/support.py`, `screens/support_transfer.py`) and the command
line send and show the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from kaspr_tui.billing.catalog import CREDIT_LABELS, CreditType
from kaspr_tui.billing.formatting import format_count, format_date

DELETE_CONFIRMATION = (
    "Deleting your account also deletes your subscription plan. Support will contact you before "
    "anything is deleted, so you can keep your plan if you wish."
)


def with_note(message: str, note: str | None) -> str:
    """The request's sentence, then the customer's own note after a blank line."""
    note = (note or "").strip()
    return f"{message}\n\n{note}" if note else message


def email_change_message(email: str, new_email: str) -> str:
    return f"Please change the email address of my account from {email} to {new_email}."


def transfer_message(email: str, new_email: str) -> str:
    return f"I am changing jobs: please transfer the license and credits of {email} to my new account {new_email}."


def deletion_message(email: str) -> str:
    return f"Please delete my account {email}; contact me first about my subscription."


def ticket_line(ticket_id: str, status: str, created: datetime, email: str) -> str:
    return f"Request sent: ticket {ticket_id} ({status}), {format_date(created)}. Support will answer at {email}."


def what_moves(from_email: str, license: bool, credits: Mapping[CreditType, int], source_workspace: str) -> str:
    """`Moves the license (… leaves Acme Corp; no charge to either workspace), 150 phone credits.`"""
    parts = [
        f"{format_count(quantity)} {CREDIT_LABELS[credit_type].lower()}"
        for credit_type, quantity in credits.items()
        if quantity
    ]
    if license:
        parts.insert(0, f"the license ({from_email} leaves {source_workspace}; no charge to either workspace)")
    return f"Moves {', '.join(parts)}."
