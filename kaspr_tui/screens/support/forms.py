"""What the support forms share: one idempotency key per request, and messages beside fields.

Every support form names an input `#field` and the message under it `#field-error`; a form's
own message line (a ticket, a failure that belongs to no field) is a Words line of its choosing.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.widget import Widget
from textual.widgets import Input

from kaspr_tui.api import ApiError, new_idempotency_key
from kaspr_tui.api.models import RequestModel
from kaspr_tui.billing.validation import validate_email
from kaspr_tui.state import Problem
from kaspr_tui.widgets.forms.field_input import show_field_error
from kaspr_tui.widgets.note import Note


class RetryKey:
    """The `Idempotency-Key` of one request: the same while that request is retried, so a retry
    after a lost answer never files it twice; a new one once it went through or once the person
    changed what it asks (the server refuses a reused key with another body)."""

    def __init__(self) -> None:
        self._request: RequestModel | None = None
        self._key = ""

    def for_request(self, request: RequestModel) -> str:
        if request != self._request:
            self._request, self._key = request, new_idempotency_key()
        return self._key

    def succeeded(self) -> None:
        self._request = None


def checked_email(root: Widget, field_id: str) -> str | None:
    """The address typed in `#field_id`, or None with the reason shown under it (the server's rule)."""
    email = root.query_one(f"#{field_id}", Input).value.strip()
    problem = validate_email(email)
    show_field_error(root, field_id, problem.message if problem else "")
    return None if problem else email


def show_request_failure(root: Widget, error: BaseException, fields: Mapping[str, str], line: Note) -> None:
    """The server's refusal beside the fields it names (`fields`: API param → field id); what
    names no field of this form (a network failure, a permission error) goes on the form's line."""
    messages = error.field_errors() if isinstance(error, ApiError) else {}
    for param, field_id in fields.items():
        show_field_error(root, field_id, messages.get(param, ""))
    on_a_field = any(param in fields for param in messages)
    line.say("" if on_a_field else Problem.from_error(error).detail, error=True)
    first = next((field_id for param, field_id in fields.items() if param in messages), None)
    if first is not None:
        root.query_one(f"#{first}").focus()
