"""The one shape every validator in `billing/` reports a problem in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """A problem with one input, worded for the person at the keyboard.

    `param` is the API's dotted field name (`address.postal_code`, `number`), so the server can
    return it as-is and the TUI can put the message next to the matching input.
    """

    param: str
    code: str
    message: str
