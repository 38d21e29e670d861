"""price_change, worked by hand: every expected amount below is derived in the comment next to it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kaspr_tui.billing.catalog import CREDIT_TYPES, PLAN_IDS, PLANS
from kaspr_tui.billing.periods import next_period_end
from kaspr_tui.billing.quotes import Line, Terms, price_change
from kaspr_tui.billing.tax import TaxDecision, tax_decision

UTC = UTC
FRANCE = tax_decision("FR", None)  # 20 %
NO_TAX = TaxDecision(Decimal("0"), reverse_charge=False, country="US")

# Acme's annual period: 2026 has 365 days, and 2 July at noon leaves exactly half of it (182.5 days).
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)
MID_YEAR = datetime(2026, 7, 2, 12, tzinfo=UTC)


def quote(current, target, *, addons_now=None, recurring_addons=None, start=YEAR_START, end=YEAR_END,
          now=MID_YEAR, tax=FRANCE):
    return price_change(
        current, target, addons_now=addons_now or {}, recurring_addons=recurring_addons or {},
        period_start=start, period_end=end, now=now, tax=tax,
    )


def test_plan_upgrade_credits_unused_time_and_charges_the_rest():
    change = quote(Terms("business", "year", 10), Terms("organization", "year", 10), recurring_addons={"export": 1000})
    assert change.immediate == Terms("organization", "year", 10)
    assert change.scheduled is None and change.scheduled_for is None
    assert change.lines == (
        # Business annual: 79.00 × 12 = 948.00 a seat; × 10 = 9,480.00; half left → 4,740.00.
        Line("Unused time on Business (annual) × 10 seats", 10, -94_800, -474_000),
        # Organization annual: 99.00 × 12 = 1,188.00 a seat; × 10 = 11,880.00; half → 5,940.00.
        Line("Remaining time on Organization (annual) × 10 seats", 10, 118_800, 594_000),
    )
    assert change.subtotal == 120_000
    assert change.tax_amount == 24_000  # 20 % of 1,200.00
    assert change.total_due_now == 144_000
    # Renewal: 11,880.00 for the plan + 1,000 export credits × 0.02 = 20.00, plus 20 % → 14,280.00.
    assert change.next_renewal_total == 1_428_000
    assert (change.effective_at, change.period_start, change.period_end) == (MID_YEAR, YEAR_START, YEAR_END)


def test_added_seats_are_prorated_and_add_ons_charged_in_full():
    change = quote(Terms("business", "year", 10), Terms("business", "year", 12), addons_now={"phone": 100})
    assert change.immediate == Terms("business", "year", 12)
    assert change.lines == (
        # 2 × 948.00 = 1,896.00, half left → 948.00.
        Line("Remaining time on Business (annual) × 2 added seats", 2, 94_800, 94_800),
        # 100 × 0.40 = 40.00, never prorated.
        Line("Phone credits add-on", 100, 40, 4_000),
    )
    assert change.total_due_now == 118_560  # 988.00 + 20 % = 1,185.60
    # 12 × 948.00 = 11,376.00 + one month of 100 phone credits 40.00 = 11,416.00, + 20 % = 13,699.20.
    assert change.next_renewal_total == 1_369_920


def test_a_downgrade_waits_for_the_period_end_and_costs_nothing_now():
    change = quote(Terms("business", "year", 10), Terms("starter", "month", 5))
    assert change.immediate == Terms("business", "year", 10)
    assert change.scheduled == Terms("starter", "month", 5)
    assert change.scheduled_for == YEAR_END
    assert (change.lines, change.subtotal, change.total_due_now) == ((), 0, 0)
    assert change.next_renewal_total == 35_400  # 5 × 59.00 = 295.00, + 20 % = 354.00


def test_removing_seats_is_scheduled_without_refund():
    change = quote(Terms("business", "year", 10), Terms("business", "year", 8))
    assert change.scheduled == Terms("business", "year", 8)
    assert change.total_due_now == 0
    assert change.next_renewal_total == 910_080  # 8 × 948.00 = 7,584.00, + 20 % = 9,100.80


def test_an_upgrade_with_fewer_seats_upgrades_now_and_removes_seats_later():
    change = quote(Terms("business", "year", 10), Terms("organization", "year", 8))
    assert change.immediate == Terms("organization", "year", 10)
    assert change.scheduled == Terms("organization", "year", 8)
    assert change.scheduled_for == YEAR_END
    assert change.subtotal == 120_000  # as in the 10-seat upgrade above
    assert change.next_renewal_total == 1_140_480  # 8 × 1,188.00 = 9,504.00, + 20 % = 11,404.80


def test_annual_to_monthly_with_more_seats_adds_the_seats_now_and_switches_later():
    change = quote(Terms("business", "year", 10), Terms("business", "month", 12))
    assert change.immediate == Terms("business", "year", 12)
    assert change.scheduled == Terms("business", "month", 12)
    assert [line.amount for line in change.lines] == [94_800]  # 2 added annual seats, half a year


def test_per_line_rounding_to_the_cent():
    # Starter → Business, monthly, 3 seats, 10 of October's 31 days left.
    change = quote(
        Terms("starter", "month", 3), Terms("business", "month", 3),
        start=datetime(2026, 10, 1, tzinfo=UTC), end=datetime(2026, 11, 1, tzinfo=UTC),
        now=datetime(2026, 10, 22, tzinfo=UTC),
    )
    # 177.00 × 10/31 = 57.0967… → −57.10; 297.00 × 10/31 = 95.8064… → 95.81.
    assert [line.amount for line in change.lines] == [-5_710, 9_581]
    assert change.subtotal == 3_871
    assert change.tax_amount == 774  # 20 % of 38.71 = 7.742 → 7.74
    assert change.total_due_now == 4_645


def test_monthly_to_annual_starts_a_new_year_now():
    # Globex: Starter monthly, 3 seats, 10 of November's 30 days left; a German company with a VAT number.
    now = datetime(2026, 11, 21, tzinfo=UTC)
    change = quote(
        Terms("starter", "month", 3), Terms("starter", "year", 3),
        start=datetime(2026, 11, 1, tzinfo=UTC), end=datetime(2026, 12, 1, tzinfo=UTC), now=now,
        tax=tax_decision("DE", "DE136695976"),
    )
    assert change.lines == (
        Line("Unused time on Starter (monthly) × 3 seats", 3, -5_900, -5_900),  # 177.00 × 1/3 = 59.00
        Line("Starter (annual) × 3 seats", 3, 54_000, 162_000),  # 45.00 × 12 = 540.00 a seat, in full
    )
    assert change.tax.reverse_charge and change.tax_amount == 0
    assert change.total_due_now == 156_100
    assert (change.period_start, change.period_end) == (now, datetime(2027, 11, 21, tzinfo=UTC))
    assert change.next_renewal_total == 162_000


def test_seats_removed_while_moving_to_annual_go_at_the_end_of_the_new_year():
    now = datetime(2026, 11, 21, tzinfo=UTC)
    change = quote(
        Terms("starter", "month", 5), Terms("starter", "year", 3),
        start=datetime(2026, 11, 1, tzinfo=UTC), end=datetime(2026, 12, 1, tzinfo=UTC), now=now,
    )
    assert change.immediate == Terms("starter", "year", 5)
    assert change.scheduled_for == change.period_end == datetime(2027, 11, 21, tzinfo=UTC)


def test_free_to_paid_starts_a_new_month_with_nothing_to_credit():
    now = datetime(2026, 11, 27, 9, tzinfo=UTC)
    change = quote(
        Terms("free", "month", 1), Terms("business", "month", 3),
        start=datetime(2026, 11, 1, tzinfo=UTC), end=datetime(2026, 12, 1, tzinfo=UTC), now=now,
        tax=tax_decision("FI", None),
    )
    assert change.lines == (Line("Business (monthly) × 3 seats", 3, 9_900, 29_700),)
    assert change.tax_amount == 7_574  # 25.5 % of 297.00 = 75.735 → 75.74
    assert change.total_due_now == 37_274
    assert (change.period_start, change.period_end) == (now, datetime(2026, 12, 27, 9, tzinfo=UTC))


def test_buying_add_ons_alone_changes_no_plan_line():
    terms = Terms("business", "year", 10)
    change = quote(terms, terms, addons_now={"export": 1_000, "phone": 500}, recurring_addons={"phone": 250},
                   tax=NO_TAX)
    assert change.lines == (
        Line("Phone credits add-on", 500, 40, 20_000),
        Line("Export credits add-on", 1_000, 2, 2_000),
    )
    assert change.immediate == terms and change.scheduled is None
    # 9,480.00 + phone (250 + 500) × 0.40 = 300.00 + export 1,000 × 0.02 = 20.00.
    assert change.next_renewal_total == 980_000


def test_no_change_costs_nothing():
    terms = Terms("starter", "month", 3)
    change = quote(terms, terms)
    assert (change.lines, change.total_due_now, change.scheduled) == ((), 0, None)


# ---- properties ------------------------------------------------------------------------------

terms_strategy = st.builds(Terms, st.sampled_from(PLAN_IDS), st.sampled_from(["month", "year"]),
                           st.integers(min_value=1, max_value=60))
addons_strategy = st.dictionaries(st.sampled_from(CREDIT_TYPES), st.integers(min_value=0, max_value=50_000))
taxes = st.sampled_from([FRANCE, NO_TAX, tax_decision("FI", None), tax_decision("DE", "DE136695976")])
starts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC))


@st.composite
def moments(draw, interval):
    """A period of `interval` and a moment inside it."""
    start = draw(starts)
    end = next_period_end(start, interval)
    now = start + timedelta(seconds=draw(st.integers(min_value=0, max_value=int((end - start).total_seconds()))))
    return start, end, now


@given(current=terms_strategy, target=terms_strategy, addons_now=addons_strategy, tax=taxes, data=st.data())
def test_nothing_is_ever_owed_back_on_a_quote(current, target, addons_now, tax, data):
    start, end, now = data.draw(moments(current.interval))
    change = quote(current, target, addons_now=addons_now, start=start, end=end, now=now, tax=tax)
    assert change.subtotal >= 0
    assert change.total_due_now == change.subtotal + change.tax_amount >= 0
    assert change.immediate.seats >= current.seats  # nothing is taken away before the period end
    assert change.scheduled in (None, target)
    assert (change.scheduled_for is None) == (change.scheduled is None)


@given(current=terms_strategy, target=terms_strategy, data=st.data())
def test_within_a_period_the_charge_is_within_a_cent_of_the_exact_proration(current, target, data):
    start, end, now = data.draw(moments(current.interval))
    change = quote(current, target, start=start, end=end, now=now)
    if change.period_start != start:
        return  # a new period: covered by the examples above
    share = Fraction(int((end - now).total_seconds()), int((end - start).total_seconds()))
    exact = (PLANS[change.immediate.plan].period_price(change.immediate.interval, change.immediate.seats)
             - PLANS[current.plan].period_price(current.interval, current.seats)) * share
    # At most two plan lines (credit and charge), each rounded by at most half a cent.
    assert abs(change.subtotal - exact) <= 1


@given(
    plans=st.permutations(["starter", "business", "organization"]),
    interval=st.sampled_from(["month", "year"]),
    seats=st.integers(min_value=1, max_value=200),
    data=st.data(),
)
def test_upgrading_in_two_steps_costs_what_one_step_does(plans, interval, seats, data):
    first, middle, last = sorted(plans, key=lambda plan: PLANS[plan].monthly_unit_amount)
    start, end, now = data.draw(moments(interval))
    step_one = quote(Terms(first, interval, seats), Terms(middle, interval, seats), start=start, end=end, now=now)
    step_two = quote(Terms(middle, interval, seats), Terms(last, interval, seats), start=start, end=end, now=now)
    direct = quote(Terms(first, interval, seats), Terms(last, interval, seats), start=start, end=end, now=now)
    # What step one charges for the middle plan, step two credits back to the cent.
    charged_for_middle = sum(line.amount for line in step_one.lines if line.amount > 0)
    credited_for_middle = sum(line.amount for line in step_two.lines if line.amount < 0)
    assert charged_for_middle == -credited_for_middle
    assert step_one.subtotal + step_two.subtotal == direct.subtotal


@given(
    seats=st.lists(st.integers(min_value=1, max_value=300), min_size=3, max_size=3, unique=True).map(sorted),
    plan=st.sampled_from(["starter", "business", "organization"]),
    interval=st.sampled_from(["month", "year"]),
    data=st.data(),
)
def test_adding_seats_in_two_steps_is_within_a_cent_per_line_of_one_step(seats, plan, interval, data):
    few, more, most = (Terms(plan, interval, count) for count in seats)
    start, end, now = data.draw(moments(interval))

    def subtotal(current, target):
        return quote(current, target, start=start, end=end, now=now).subtotal

    # Each step rounds once (half a cent at most), so two steps may differ from one by a cent.
    assert abs(subtotal(few, more) + subtotal(more, most) - subtotal(few, most)) <= 1
