"""The dashboard: plan, seats, renewal, scheduled change, credit meters, card on file, recent activity.

Read-only for everyone; what a member may not read (cards, the event feed) is simply not shown.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES
from kaspr_tui.screens.account import AccountState
from kaspr_tui.screens.base import AccountScreen
from kaspr_tui.widgets.credit_meter import CreditMeter
from kaspr_tui.widgets.formatting import format_card, format_date, format_expiry, format_plan

WIDE_LAYOUT_MIN_WIDTH = 110
"""From this width the credit meters sit beside the plan instead of below it."""

LABEL_WIDTH = 10

MEMBER_NOTE = "Your workspace's admins manage the plan, licenses, add-on credits and the card."


def labelled(label: str, value: str | Content) -> Content:
    """`Seats     8 of 10 used · 2 free`, labels in one column."""
    return Content.assemble((label.ljust(LABEL_WIDTH), "$text-muted"), value)


def plan_summary(state: AccountState) -> Content:
    subscription = state.subscription
    assert subscription is not None
    plan_name = state.plan_name(subscription.plan)
    used = subscription.seats - subscription.seats_available
    lines = [
        Content.styled(format_plan(plan_name, subscription.interval), "bold"),
        labelled("Seats", f"{used} of {subscription.seats} used · {subscription.seats_available} free"),
    ]
    if subscription.status != "active":
        lines.append(labelled("Status", Content.styled(subscription.status.replace("_", " "), "bold $error")))
    lines.append(labelled("Renews", format_date(subscription.current_period_end)))
    change = subscription.scheduled_change
    if change is not None:
        planned = format_plan(state.plan_name(change.plan), change.interval)
        lines.append(labelled("Scheduled", f"{format_date(change.effective_at)} → {planned}, {change.seats} seats"))
    return Content("\n").join(lines)


def card_summary(state: AccountState) -> Content:
    card = state.default_card
    if card is not None:
        return Content("\n").join(
            [Content.styled(format_card(card.brand, card.last4), "bold"), f"Expires {format_expiry(card.exp_month, card.exp_year)}"]
        )
    summary = state.subscription.payment_method if state.subscription else None
    if summary is not None:
        return Content.styled(format_card(summary.brand, summary.last4), "bold")
    return Content.styled("No card on file", "$text-muted")


def recent_activity(state: AccountState) -> Content:
    if not state.events:
        return Content.styled("Nothing has happened in this workspace yet.", "$text-muted")
    return Content("\n").join(
        Content.assemble((format_date(event.created).ljust(12), "$text-muted"), event.description)
        for event in state.events
    )


class DashboardScreen(AccountScreen):
    MODE_TITLE = "Dashboard"

    DEFAULT_CSS = """
    DashboardScreen {
        #overview { height: auto; }
        #summary { height: auto; layout: horizontal; }
        #plan { width: 1fr; }
        #card-on-file { width: 26; }
        /* Wide: plan over card on the left, the credit meters beside them. */
        &.-wide #overview { layout: horizontal; }
        &.-wide #summary { layout: vertical; width: 1fr; }
        &.-wide #card-on-file { width: 1fr; }
        &.-wide #credits { width: 1fr; }
        &.-wide CreditMeter { margin-bottom: 1; }
        &.-wide CreditMeter:last-of-type { margin-bottom: 0; }
        #activity { height: 1fr; min-height: 3; scrollbar-size-vertical: 1; }
        #events { text-wrap: nowrap; text-overflow: ellipsis; }
        #member-note { color: $text-muted; padding: 1 1 0 1; }
    }
    """

    def compose_body(self) -> ComposeResult:
        with Vertical(id="overview"):
            with Vertical(id="summary"):
                yield Static(id="plan", classes="panel")
                yield Static(id="card-on-file", classes="panel")
            with Vertical(id="credits", classes="panel"):
                for credit_type in CREDIT_TYPES:
                    yield CreditMeter(CREDIT_LABELS[credit_type], id=f"credit-{credit_type}")
        with VerticalScroll(id="activity", classes="panel"):
            yield Static(id="events")
        yield Static(MEMBER_NOTE, id="member-note")

    def on_mount(self) -> None:
        self.query_one("#plan").border_title = "Plan"
        self.query_one("#card-on-file").border_title = "Card on file"
        self.query_one("#credits").border_title = "Credits this month"
        self.query_one("#activity").border_title = "Recent activity"
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE_LAYOUT_MIN_WIDTH, "-wide")

    def show_account(self, state: AccountState) -> None:
        if state.subscription is None:
            return
        self.query_one("#plan", Static).update(plan_summary(state))
        self.query_one("#card-on-file", Static).update(card_summary(state))
        for balance in state.credits:
            self.query_one(f"#credit-{balance.type}", CreditMeter).show_balance(
                used=balance.used, remaining=balance.remaining, resets_on=balance.resets_at.date()
            )
        # The event feed is for admins; a member's dashboard leaves the panel out.
        self.query_one("#activity").display = state.is_admin
        self.query_one("#member-note").display = not state.is_admin
        if state.is_admin:
            self.query_one("#events", Static).update(recent_activity(state))
