"""The checkout pipeline every purchase goes through: billing form, order review, payment.

`run_checkout` (flow.py) runs the steps; each step is a modal screen of its own.
"""

from kaspr_tui.screens.checkout.processing import CheckoutResult, ProcessingScreen
from kaspr_tui.screens.checkout.review import OrderReviewScreen

__all__ = ["CheckoutResult", "OrderReviewScreen", "ProcessingScreen"]
