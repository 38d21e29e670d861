"""Read-only (`--read-only`, a profile's `read_only = true`): what changes something is not offered.

The client refuses every write anyway (`BillingClient(read_only=True)`); the pages do not offer
them: a write key leaves the footer and the palette, and a write button stays on screen, disabled,
its tooltip saying why (the Upgrade pane's Checkout, the Billing page's buy buttons, the support
requests…), so the person sees what the app can do and why not now.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.widgets import Button

from kaspr_tui.state import app_host

WRITE_ACTIONS = frozenset(
    {
        "add_member",
        "remove_selected",
        "change_role",
        "resend_invitation",
        "cancel_scheduled_change",
        "transfer",
        "change_email",
        "request_email_change",
        "request_account_transfer",
        "request_account_deletion",
        "close_request",
    }
)
"""The pages' actions that change something (their keys, and the palette entries that run them)."""

WRITE_BUTTONS = ", ".join(
    [
        "#add-member",
        "#remove-member",
        "#cancel-scheduled-change",
        "#checkout",
        "#licenses-add",
        ".buy-addons",
        "#update-payment",
        "#transfer-start",
        "#email-change-apply",
        "#request-email-change",
        "#request-transfer",
        "#request-delete",
        "#request-close",
    ]
)
"""The buttons that change something, on any page."""


def read_only_reason(node: DOMNode) -> str | None:
    settings = app_host(node.app).settings
    return None if settings is None else settings.read_only_reason


def refuses(node: DOMNode, action: str) -> bool:
    """Whether `action` is a write the app must not offer now."""
    return action in WRITE_ACTIONS and read_only_reason(node) is not None


def disable_write_buttons(node: DOMNode) -> None:
    """Every write button under `node` disabled, saying why; nothing when writes are allowed."""
    reason = read_only_reason(node)
    if reason is None:
        return
    for button in node.query(WRITE_BUTTONS).results(Button):
        button.disabled = True
        button.tooltip = reason
