"""The catalog of API.md: plans, per-seat prices and included credits, add-on packs.

Prices are integer cents. Annual plans are quoted per seat per month and billed 12 months at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

PlanId = Literal["free", "starter", "business", "organization"]
Interval = Literal["month", "year"]
CreditType = Literal["phone", "direct_email", "export"]

PLAN_IDS: tuple[PlanId, ...] = get_args(PlanId)
INTERVALS: tuple[Interval, ...] = get_args(Interval)
CREDIT_TYPES: tuple[CreditType, ...] = get_args(CreditType)

MONTHS_PER_YEAR = 12

CREDIT_LABELS: dict[CreditType, str] = {
    "phone": "Phone credits",
    "direct_email": "Direct Email credits",
    "export": "Export credits",
}


@dataclass(frozen=True, slots=True)
class Plan:
    id: PlanId
    name: str
    monthly_unit_amount: int
    """Cents per seat per month on the monthly interval."""
    annual_unit_amount: int
    """Cents per seat per month on the annual interval (billed 12 months at once)."""
    max_seats: int
    included: dict[CreditType, int]
    """Credits per seat per month, pooled for the workspace."""

    def unit_amount_per_month(self, interval: Interval) -> int:
        return self.monthly_unit_amount if interval == "month" else self.annual_unit_amount

    def period_price(self, interval: Interval, seats: int) -> int:
        """What one whole billing period of `seats` seats costs, in cents."""
        months = 1 if interval == "month" else MONTHS_PER_YEAR
        return self.unit_amount_per_month(interval) * months * seats

    @property
    def is_paid(self) -> bool:
        return self.monthly_unit_amount > 0


@dataclass(frozen=True, slots=True)
class AddonPack:
    type: CreditType
    unit_amount: int
    """Cents per credit."""
    min: int
    max: int
    step: int

    def accepts(self, quantity: int) -> bool:
        return self.min <= quantity <= self.max and quantity % self.step == 0

    def price(self, quantity: int) -> int:
        return self.unit_amount * quantity


PLANS: dict[PlanId, Plan] = {
    "free": Plan("free", "Free", 0, 0, 1, {"phone": 5, "direct_email": 5, "export": 10}),
    "starter": Plan("starter", "Starter", 5900, 4500, 50, {"phone": 100, "direct_email": 100, "export": 500}),
    "business": Plan("business", "Business", 9900, 7900, 200, {"phone": 200, "direct_email": 200, "export": 1000}),
    "organization": Plan(
        "organization", "Organization", 11900, 9900, 1000, {"phone": 400, "direct_email": 400, "export": 2000}
    ),
}

ADDON_PACKS: dict[CreditType, AddonPack] = {
    "phone": AddonPack("phone", 40, 25, 5000, 25),
    "direct_email": AddonPack("direct_email", 20, 25, 5000, 25),
    "export": AddonPack("export", 2, 100, 50000, 100),
}
