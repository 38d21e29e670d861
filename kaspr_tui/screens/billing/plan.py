"""The Plan section of Plan & Billing: plan, period, licenses with +, each credit type with its
balance, its add-on pack and a Purchase add-ons button; and the entry points the command palette
uses to open the add-ons and licenses dialogs (`open_addons`, `open_licenses`)."""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, TabbedContent

from kaspr_tui.api.models import CreditBalance, RecurringAddon
from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES, CreditType
from kaspr_tui.billing.formatting import format_date, format_plan
from kaspr_tui.billing.order_words import left_of_words, pack_words
from kaspr_tui.screens.base import AccountPanel
from kaspr_tui.screens.billing.addons import PurchaseAddonsScreen
from kaspr_tui.screens.billing.licenses import LicensesScreen
from kaspr_tui.screens.dialogs.billing_details import licenses_words
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.words import Words

LABEL_WIDTH = 10
"""`Licenses` and a gap: the plan rows' labels line up."""
# Credit rows: type, what is left of the period's total, the add-on pack; fits 80 columns with its button.
TYPE_WIDTH, LEFT_WIDTH, PACK_WIDTH = 14, 18, 22

NOT_ADMIN = "Only a workspace admin can buy credits or licenses."
NOT_LOADED = "The account is still loading; try again in a moment."


def credit_row(balance: CreditBalance, addon: RecurringAddon | None) -> str:
    """`Phone         2,160 of 2,500     500, renews`: one credit type, in the columns of `credits_heading`."""
    left = left_of_words(balance.used, balance.remaining)
    return "".join(
        [
            CREDIT_LABELS[balance.type].removesuffix(" credits").ljust(TYPE_WIDTH),
            left.ljust(LEFT_WIDTH),
            (pack_words(addon.quantity, addon.auto_renew) if addon else pack_words(0, True)).ljust(PACK_WIDTH),
        ]
    )


def credits_heading() -> str:
    return "".join(["Credits".ljust(TYPE_WIDTH), "Left this period".ljust(LEFT_WIDTH), "Add-on pack".ljust(PACK_WIDTH)])


def plan_row(label: str, value: str) -> Text:
    return Text.assemble((label.ljust(LABEL_WIDTH), "dim"), value)


class PlanPanel(AccountPanel):
    """Plan, licenses (+ opens the licenses dialog) and credits (a Purchase add-ons button per type)."""

    def compose(self) -> ComposeResult:
        yield Words(id="plan-current")
        yield Words(id="plan-period")
        with Horizontal(classes="panel-row"):
            yield Words(id="plan-licenses")
            yield Button("+", id="licenses-add", compact=True, tooltip="Add or remove licenses")
            yield Words("add or remove", id="licenses-hint")
        yield Words(credits_heading(), id="credits-heading", markup=False)
        for credit_type in CREDIT_TYPES:
            with Horizontal(classes="panel-row"):
                yield Words(id=f"credits-{credit_type}", markup=False)
                yield Button(
                    "Purchase add-ons", id=f"buy-{credit_type}", name=credit_type, classes="buy-addons", compact=True
                )
        yield Words(id="credits-note", markup=False)

    def show_account(self, state: AccountState) -> None:
        subscription = state.subscription
        assert subscription is not None
        plan = format_plan(state.plan_name(subscription.plan), subscription.interval)
        period = f"{format_date(subscription.current_period_start)} – {format_date(subscription.current_period_end)}"
        self.query_one("#plan-current", Words).update(plan_row("Current", plan))
        self.query_one("#plan-period", Words).update(plan_row("Period", period))
        self.query_one("#plan-licenses", Words).update(plan_row("Licenses", licenses_words(subscription)))
        packs = {addon.type: addon for addon in subscription.addons}
        for balance in state.credits:
            self.query_one(f"#credits-{balance.type}", Words).update(credit_row(balance, packs.get(balance.type)))
        if state.credits:
            resets = format_date(state.credits[0].resets_at)
            self.query_one("#credits-note", Words).update(
                f"Credits reset on {resets}; unused credits do not carry over."
            )

    @on(Button.Pressed, ".buy-addons")
    def _buy_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.push_screen(PurchaseAddonsScreen(cast(CreditType, event.button.name)))

    @on(Button.Pressed, "#licenses-add")
    def _licenses_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.push_screen(LicensesScreen())


# ---- entry points for the command palette -----------------------------------------------------


async def show_plan_billing(app: App[object], opener: str) -> bool:
    """Billing on its Plan & Billing tab, the `opener` button focused; False, saying why, when this
    account cannot buy there.

    The focus is what brings the person back to this tab when the dialog closes: with nothing
    focused the page would focus its first field, on the Upgrade tab.
    """
    account = app_host(app).account
    if account.loaded and not account.is_admin:
        app.notify(NOT_ADMIN, severity="warning")
        return False
    if account.subscription is None or account.catalog is None:
        app.notify(NOT_LOADED, severity="warning")
        return False
    if app.current_mode != "billing":
        await app.switch_mode("billing")
    page = app.screen_stack[0]
    page.query_one("#billing-tabs", TabbedContent).active = "plan-billing"
    page.query_one(f"#{opener}").focus()
    return True


async def open_addons(app: App[object], credit_type: CreditType) -> None:
    """Plan & Billing with the Purchase add-ons dialog for `credit_type` open ("Buy phone credits")."""
    if await show_plan_billing(app, f"buy-{credit_type}"):
        app.push_screen(PurchaseAddonsScreen(credit_type))


async def open_licenses(app: App[object]) -> None:
    """Plan & Billing with the Manage licenses dialog open ("Add licenses")."""
    if await show_plan_billing(app, "licenses-add"):
        app.push_screen(LicensesScreen())
