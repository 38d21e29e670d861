"""An order in words: what the order review, the quote and the payment's outcome say. Pure, no I/O.

The TUI's review (`screens/checkout/review.py`, `widgets/quote_view.py`) and the command line
say the same things in the same words: every line charged now (a line for unused time reads as
a credit), subtotal, VAT and its treatment, total due now, the next renewal and its date, the
part that waits for the period end, the card and who is billed. These functions take the
quote's values (anything shaped like the wire `Quote`, see `QuoteLike`) and a way to name
plans; they return plain strings and leave the layout to the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from kaspr_tui.billing.catalog import CREDIT_LABELS, CreditType
from kaspr_tui.billing.formatting import format_card, format_count, format_date, format_expiry
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.words import terms_words, vat_label

REVIEW_TITLE = "Check that your order is correct"
TIMES = "\u00d7"
"""The multiplication sign of `Starter (monthly) TIMES 8 seats` and `12 TIMES €60.00`."""


class QuoteLineLike(Protocol):
    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_amount(self) -> int: ...
    @property
    def amount(self) -> int: ...


class TaxLike(Protocol):
    @property
    def rate_percent(self) -> float: ...
    @property
    def amount(self) -> int: ...
    @property
    def reverse_charge(self) -> bool: ...


class ScheduledChangeLike(Protocol):
    @property
    def plan(self) -> str: ...
    @property
    def interval(self) -> str: ...
    @property
    def seats(self) -> int: ...
    @property
    def effective_at(self) -> datetime: ...


class AddonLike(Protocol):
    @property
    def type(self) -> CreditType: ...
    @property
    def quantity(self) -> int: ...


class QuoteLike(Protocol):
    """The fields of `kaspr_tui.api.models.Quote` these words read (billing does not import the wire);
    read-only, so a model whose field is narrower (a Literal, a list) fits."""

    @property
    def currency(self) -> str: ...
    @property
    def plan(self) -> str: ...
    @property
    def interval(self) -> str: ...
    @property
    def seats(self) -> int: ...
    @property
    def lines(self) -> Sequence[QuoteLineLike]: ...
    @property
    def subtotal(self) -> int: ...
    @property
    def tax(self) -> TaxLike: ...
    @property
    def total_due_now(self) -> int: ...
    @property
    def next_renewal_total(self) -> int: ...
    @property
    def renews_at(self) -> datetime: ...
    @property
    def monthly_addons_total(self) -> int: ...
    @property
    def monthly_addons_from(self) -> datetime | None: ...
    @property
    def scheduled_for(self) -> datetime | None: ...
    @property
    def scheduled_change(self) -> ScheduledChangeLike | None: ...


class PurchaseLike(QuoteLike, Protocol):
    @property
    def addons(self) -> Sequence[AddonLike]: ...


class AddressLike(Protocol):
    @property
    def line1(self) -> str: ...
    @property
    def line2(self) -> str | None: ...
    @property
    def city(self) -> str: ...
    @property
    def postal_code(self) -> str: ...
    @property
    def state(self) -> str | None: ...
    @property
    def country(self) -> str: ...


class BillingDetailsLike(Protocol):
    @property
    def company(self) -> str: ...
    @property
    def contact_name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def address(self) -> AddressLike: ...
    @property
    def vat_number(self) -> str | None: ...


class UpcomingChargeLike(Protocol):
    """The fields of the wire `UpcomingCharge` (`GET /v1/invoices/upcoming`) these words read."""

    @property
    def date(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def total(self) -> int: ...
    @property
    def currency(self) -> str: ...


def describe_terms(plan_name: str, interval: str, seats: int) -> str:
    """`Starter (monthly) TIMES 8 seats`, the way the server's quote lines read."""
    return terms_words(plan_name, interval, seats)


def scheduled_change_words(plan_name: str, interval: str, seats: int, effective_at: datetime) -> str:
    """`Changes to Starter (monthly) TIMES 8 seats on 17 Aug 2027`."""
    return f"Changes to {describe_terms(plan_name, interval, seats)} on {format_date(effective_at)}"


def nothing_to_pay_words(scheduled_for: datetime) -> str:
    """What a change that only waits for the period end (a downgrade, fewer seats) costs today."""
    return f"Scheduled for {format_date(scheduled_for)} — nothing to pay now"


def tax_label(tax: TaxLike) -> str:
    """`VAT 20 %`, or the reverse charge said in full."""
    return vat_label(tax.rate_percent, tax.reverse_charge)


def line_words(line: QuoteLineLike, currency: str) -> tuple[str, str | None, str]:
    """One line charged now: (what, `3 TIMES €79.00` when more than one, amount); a credit says so."""
    what = f"{line.description} (credit)" if line.amount < 0 else line.description
    each = None
    if line.quantity > 1:
        each = f"{format_count(line.quantity)} {TIMES} {format_money(line.unit_amount, currency)}"
    return what, each, format_money(line.amount, currency)


TOTAL_DUE_NOW = "Total due now"


def monthly_packs_row(total: int, currency: str, first: datetime) -> tuple[str, str]:
    """What each monthly credit reset between renewals charges for the add-on packs, said the same
    way by the review, the outcome and the upcoming charges: `Add-on packs every month from 17 Dec
    2026`, `€480.00`."""
    return f"Add-on packs every month from {format_date(first)}", format_money(total, currency)


def monthly_packs_words(quote: QuoteLike) -> str | None:
    """The same fact as a sentence's start, for prose: `Add-on packs every month from 17 Dec 2026:
    €480.00`; None when the quote's packs are not charged apart from the renewals."""
    if quote.monthly_addons_from is None:
        return None
    packs, amount = monthly_packs_row(quote.monthly_addons_total, quote.currency, quote.monthly_addons_from)
    return f"{packs}: {amount}"


def upcoming_rows(charges: Sequence[UpcomingChargeLike]) -> list[tuple[str, str]]:
    """The upcoming charges in date order, as (what, amount): the packs' monthly charges in one row,
    in the order review's words (`Add-on packs every month from 17 Dec 2026`, `€240.00`), then
    `17 Aug 2027  Renewal: Business (annual), 10 seats`, `€11,616.00`."""
    rows = []
    previous: UpcomingChargeLike | None = None
    for charge in charges:
        if charge.kind == "addons":
            # The same packs every month until the renewal: one row from the first date.
            if previous is None or (previous.kind, previous.total) != ("addons", charge.total):
                rows.append(monthly_packs_row(charge.total, charge.currency, charge.date))
        else:
            what = f"{format_date(charge.date)}  {charge.description}"
            rows.append((what, format_money(charge.total, charge.currency)))
        previous = charge
    return rows


VAT_STATUS_WORDS = {"valid": "valid", "invalid": "not valid", "none": "not checked"}


def vat_number_words(vat_number: str | None, vat_status: str) -> str:
    """`VAT number FR40303265045 (valid)`, or `No VAT number`."""
    if not vat_number:
        return "No VAT number"
    return f"VAT number {vat_number} ({VAT_STATUS_WORDS[vat_status]})"


def totals_rows(quote: QuoteLike) -> list[tuple[str, str]]:
    """Subtotal and VAT (when something is charged), the total due now, the packs charged every
    month until the renewal (an annual plan's), the next renewal and its date."""
    rows = []
    if quote.lines:
        rows.append(("Subtotal", format_money(quote.subtotal, quote.currency)))
        rows.append((tax_label(quote.tax), format_money(quote.tax.amount, quote.currency)))
    rows.append((TOTAL_DUE_NOW, format_money(quote.total_due_now, quote.currency)))
    if quote.monthly_addons_from is not None:
        rows.append(monthly_packs_row(quote.monthly_addons_total, quote.currency, quote.monthly_addons_from))
    renewal = format_money(quote.next_renewal_total, quote.currency)
    rows.append((f"Next renewal on {format_date(quote.renews_at)}", renewal))
    return rows


def scheduled_lines(quote: QuoteLike, plan_name: Callable[[str], str]) -> list[str]:
    """The part that waits for the period end, and that nothing is due before it; empty if none waits."""
    lines = []
    change = quote.scheduled_change
    if change is not None:
        lines.append(scheduled_change_words(plan_name(change.plan), change.interval, change.seats, change.effective_at))
    if quote.scheduled_for is not None and quote.total_due_now == 0:
        lines.append(nothing_to_pay_words(quote.scheduled_for))
    return lines


def confirm_label(quote: QuoteLike) -> str:
    """The review's button: paying something, or only changing what the period end brings."""
    return "Continue to payment" if quote.total_due_now > 0 else "Confirm change"


def card_line(brand: str, last4: str, exp_month: int, exp_year: int) -> str:
    """`Visa •••• 4242  expires 12/2028`."""
    return f"{format_card(brand, last4)}  expires {format_expiry(exp_month, exp_year)}"


def billed_to_lines(details: BillingDetailsLike) -> tuple[str, str]:
    """Who is billed (company · contact · email), then where (street, place, country · VAT)."""
    address = details.address
    place = " ".join(part for part in (address.postal_code, address.city) if part)
    where = ", ".join(part for part in (address.line1, address.line2, place, address.state, address.country) if part)
    vat = f" · VAT {details.vat_number}" if details.vat_number else ""
    return f"{details.company} · {details.contact_name} · {details.email}", f"{where}{vat}"


def outcome_title(quote: QuoteLike) -> str:
    """What a confirmed order is called once done: a payment only when something was charged."""
    if quote.total_due_now > 0:
        return "Payment succeeded"
    if quote.scheduled_change is not None:
        return "Change scheduled"
    return "Change made"


def pack_words(quantity: int, auto_renew: bool, resets_on: str | None = None) -> str:
    """An add-on pack today, the one way every page says it: `500, renews` / `10,000, auto-renew off`,
    or with the reset's date `500 a month, renews on 22 Dec 2026` / `10,000, ends on 22 Dec 2026
    (auto-renew off)`; `none` without a pack."""
    count = format_count(quantity)
    if quantity == 0:
        return "none"
    if resets_on is None:
        return f"{count}, renews" if auto_renew else f"{count}, auto-renew off"
    if auto_renew:
        return f"{count} a month, renews on {resets_on}"
    return f"{count}, ends on {resets_on} (auto-renew off)"


def credits_added_words(label: str, quantity: int, renews: bool) -> str:
    """Credits just bought, with whether their pack renews: the auto-renew state, said once."""
    added = f"{format_count(quantity)} {label} added now"
    if renews:
        return f"{added}, renewed and charged every month until you turn auto-renew off."
    return f"{added}, for this period only: auto-renew of the pack is off."


def what_changed_lines(
    quote: PurchaseLike,
    before: tuple[str, str, int] | None,
    plan_name: Callable[[str], str],
    charged_to: str,
    renewing: Mapping[CreditType, bool],
) -> list[str]:
    """After an order was confirmed: the plan now (if it changed now from `before`, its plan,
    interval and seats), the credits added (`renewing`: each type's pack auto-renew before the
    order; a type without a pack renews), what is scheduled, and what was charged to `charged_to`."""
    lines = []
    change = quote.scheduled_change
    # With a scheduled change the quote's terms are those of the period end, not today's.
    if change is None and before != (quote.plan, quote.interval, quote.seats):
        lines.append(f"Your plan is now {describe_terms(plan_name(quote.plan), quote.interval, quote.seats)}.")
    for addon in quote.addons:
        lines.append(credits_added_words(CREDIT_LABELS[addon.type], addon.quantity, renewing.get(addon.type, True)))
    later = None if change is None else describe_terms(plan_name(change.plan), change.interval, change.seats)
    if quote.total_due_now > 0:
        if change is not None:
            lines.append(f"Scheduled: {later} from {format_date(change.effective_at)}.")
        lines.append(f"Charged {format_money(quote.total_due_now, quote.currency)} to {charged_to}.")
        if (packs := monthly_packs_words(quote)) is not None:
            lines.append(f"{packs}.")
    elif change is not None:
        # The renewal's total also holds the month's add-on packs: it is said as the renewal's, not the plan's.
        lines.append(
            f"Nothing is charged today; from {format_date(change.effective_at)} you are on {later}, "
            f"and the renewal that day is {format_money(quote.next_renewal_total, quote.currency)}."
        )
    else:
        lines.append("Nothing was charged today.")
    return lines


def pack_terms_words(pack_quantity: int, pack_renews: bool, adding: int, resets_on: str) -> str:
    """What happens to credits bought now: renewed each month with the type's pack (or not), never carried over.

    `pack_quantity` is the type's recurring pack today (0 for none), `pack_renews` its auto-renew.
    """
    if pack_quantity > 0 and not pack_renews:
        return (
            f"Your pack ends at the reset on {resets_on}, so credits added now are for this period only, "
            "unless you turn auto-renew back on. Unused credits never carry over."
        )
    return (
        "Added now, then renewed and charged every month at this quantity until you turn auto-renew off: "
        f"your pack becomes {format_count(adding + pack_quantity)} a month. Unused credits never carry over."
    )


def period_credits(used: int, remaining: int) -> int:
    """A period's credits of one type: what is used plus what is left. It is what was included and
    added, plus what support moved in and minus what it moved out, so every page's "of N" is this."""
    return used + remaining


def left_of_words(used: int, remaining: int) -> str:
    """`2,160 of 2,500`: what is left of the period's credits."""
    return f"{format_count(remaining)} of {format_count(period_credits(used, remaining))}"


def balance_words(label: str, used: int, remaining: int, resets_at: datetime) -> str:
    """`Phone credits left this period: 2,160 of 2,500 · reset on 22 Dec 2026`."""
    return f"{label} left this period: {left_of_words(used, remaining)} · reset on {format_date(resets_at)}"


def license_change_rules(period_end: str) -> str:
    """When a change of licenses applies: more now, prorated; fewer at the period end, without refund."""
    return (
        f"More licenses apply now, charged up to {period_end}; fewer apply on {period_end}, "
        "the end of the period, with no refund."
    )


KEY_IN_USE = "idempotency_key_in_use"
"""The server is still working on an earlier attempt under the same key: not an answer."""


def payment_refused(status: int, code: str) -> bool:
    """The server answered a payment with a refusal to start it: nothing happened, and retrying
    the same request won't help. Anything else (no answer, a timeout, 429 or 5xx after the
    client's retries, our own earlier attempt still running) leaves the outcome unknown."""
    return 400 <= status < 500 and status != 429 and code != KEY_IN_USE


RENEWAL_REASONS = {
    "tax": "The VAT is priced again for these billing details.",
    "quote_expired": "Prices are held for 15 minutes, so this one was priced again.",
    "quote_stale": "The subscription changed since this price was made, so it was priced again.",
}
"""Why a price shown before had to be made again before paying."""


def renewed_price_words(reason: str, before_total: int, after_total: int, currency: str) -> str:
    """What the person must know before paying a price made again: why, and what moved.

    `Prices are held for 15 minutes, so this one was priced again. Total due now: €4,177.10
    instead of €4,177.12 (€0.02 less).`"""
    why = RENEWAL_REASONS.get(reason, "The price was made again.")
    after = format_money(after_total, currency)
    if after_total == before_total:
        return f"{why} Total due now is unchanged: {after}."
    difference = format_money(abs(after_total - before_total), currency)
    direction = "more" if after_total > before_total else "less"
    return f"{why} Total due now: {after} instead of {format_money(before_total, currency)} ({difference} {direction})."
