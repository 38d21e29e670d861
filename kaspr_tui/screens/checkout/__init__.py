"""The checkout pipeline every purchase goes through: billing form, order review, payment.

`run_checkout` (flow.py) runs the steps; each step is a modal screen of its own.
"""

from kaspr_tui.screens.checkout.billing_form import BillingFormScreen, PaymentChoice
from kaspr_tui.screens.checkout.flow import run_checkout
from kaspr_tui.screens.checkout.processing import CheckoutResult, ProcessingScreen
from kaspr_tui.screens.checkout.review import OrderReviewScreen

__all__ = [
    "BillingFormScreen",
    "CheckoutResult",
    "OrderReviewScreen",
    "PaymentChoice",
    "ProcessingScreen",
    "run_checkout",
]
