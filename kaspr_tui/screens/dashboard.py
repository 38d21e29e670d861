"""The dashboard: plan, seats, renewal, scheduled change, credit meters, card on file, recent activity.

Read-only for everyone; what a member may not read (cards, the event feed) is simply not shown.
"""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button

from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES
from kaspr_tui.billing.formatting import (
    format_card,
    format_date,
    format_expiry,
    format_plan,
)
from kaspr_tui.billing.order_words import scheduled_change_words
from kaspr_tui.screens.base import AccountScreen
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.credit_meter import CreditMeter
from kaspr_tui.widgets.dated_lines import DatedLines
from kaspr_tui.widgets.words import Words

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
        words = scheduled_change_words(state.plan_name(change.plan), change.interval, change.seats, change.effective_at)
        lines.append(Content.styled(words, "$text-warning"))
    return Content("\n").join(lines)


def card_summary(state: AccountState) -> Content:
    card = state.default_card
    if card is not None:
        return Content("\n").join(
            [
                Content.styled(format_card(card.brand, card.last4), "bold"),
                f"Expires {format_expiry(card.exp_month, card.exp_year)}",
            ]
        )
    summary = state.subscription.payment_method if state.subscription else None
    if summary is not None:
        return Content.styled(format_card(summary.brand, summary.last4), "bold")
    return Content.styled("No card on file", "$text-muted")


NO_ACTIVITY = "Nothing has happened in this workspace yet."


def recent_activity(state: AccountState) -> list[tuple[str, str]]:
    """`(date, description)` of the workspace's latest events, newest first."""
    return [(format_date(event.created), event.description) for event in state.events]


class DashboardScreen(AccountScreen):
    MODE_TITLE = "Dashboard"
    BINDINGS = [
        Binding(
            "c", "cancel_scheduled_change", "Cancel change", tooltip="Keep the plan as it is at the renewal",
            id="dashboard.cancel_change",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="overview"):
            with Vertical(id="summary"):
                with Vertical(id="plan", classes="panel"):
                    yield Words(id="plan-summary")
                    yield Button("Cancel scheduled change", id="cancel-scheduled-change", compact=True)
                yield Words(id="card-on-file", classes="panel")
            with Vertical(id="credits", classes="panel"):
                for credit_type in CREDIT_TYPES:
                    yield CreditMeter(CREDIT_LABELS[credit_type], id=f"credit-{credit_type}")
        with VerticalScroll(id="activity", classes="panel"):
            yield DatedLines(id="events")
        yield Words(MEMBER_NOTE, id="member-note")

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
        self.query_one("#plan-summary", Words).update(plan_summary(state))
        self.query_one("#cancel-scheduled-change").display = self._can_cancel(state)
        self.refresh_bindings()
        self.query_one("#card-on-file", Words).update(card_summary(state))
        for balance in state.credits:
            self.query_one(f"#credit-{balance.type}", CreditMeter).show_balance(
                used=balance.used, remaining=balance.remaining, resets_on=balance.resets_at.date()
            )
        # The event feed is for admins; a member's dashboard leaves the panel out.
        self.query_one("#activity").display = state.is_admin
        self.query_one("#member-note").display = not state.is_admin
        if state.is_admin:
            self.query_one("#events", DatedLines).show(recent_activity(state), empty=NO_ACTIVITY)

    # ---- cancelling a scheduled change (admins) ---------------------------------------------

    @staticmethod
    def _can_cancel(state: AccountState) -> bool:
        return state.is_admin and state.subscription is not None and state.subscription.scheduled_change is not None

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_scheduled_change":
            return self._can_cancel(app_host(self.app).account)
        return True

    @on(Button.Pressed, "#cancel-scheduled-change")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel_scheduled_change()

    def action_cancel_scheduled_change(self) -> None:
        state = app_host(self.app).account
        if self._can_cancel(state):
            self._cancel_scheduled_change(state)

    @work(exclusive=True, group="scheduled-change", exit_on_error=False)
    async def _cancel_scheduled_change(self, state: AccountState) -> None:
        host = app_host(self.app)
        assert state.subscription is not None and state.subscription.scheduled_change is not None
        change = state.subscription.scheduled_change
        words = scheduled_change_words(state.plan_name(change.plan), change.interval, change.seats, change.effective_at)
        keeps = format_plan(state.plan_name(state.subscription.plan), state.subscription.interval)
        question = f"{words}.\n\nCancel it and keep {keeps} with {state.subscription.seats} seats at the renewal?"
        confirm = ConfirmScreen(
            "Cancel the scheduled change?", question, "Cancel the change", cancel_label="Keep the change"
        )
        if not await self.app.push_screen_wait(confirm):
            return
        client = host.client
        if client is None:
            return
        from kaspr_tui.api import ApiError  # httpx: off the way to the first frame

        try:
            await client.cancel_scheduled_change()
        except ApiError as error:
            self.notify(str(error), title="The scheduled change was not cancelled", severity="error")
            return
        self.notify(f"You stay on {keeps}.", title="Scheduled change cancelled")
        host.load_account()
