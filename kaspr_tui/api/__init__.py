"""The wire: the billing API's models, `BillingClient` and `ApiError`. Never imports Textual.

The client and its errors load on first access, so that the server, which needs only
`kaspr_tui.api.models`, does not import httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kaspr_tui.api.client import BillingClient, new_idempotency_key
    from kaspr_tui.api.errors import ApiError

_MODULE_OF = {
    "ApiError": "kaspr_tui.api.errors",
    "BillingClient": "kaspr_tui.api.client",
    "new_idempotency_key": "kaspr_tui.api.client",
}

__all__ = ["ApiError", "BillingClient", "new_idempotency_key"]


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
