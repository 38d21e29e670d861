"""The wire: the billing API's models, `BillingClient` and `ApiError`. Never imports Textual."""

from kaspr_tui.api.client import BillingClient, new_idempotency_key
from kaspr_tui.api.errors import ApiError

__all__ = ["ApiError", "BillingClient", "new_idempotency_key"]
