"""Billing details: every field checked at once by the shared billing rules; VAT numbers offline."""

from __future__ import annotations

from kaspr_tui.api.models import Address, BillingDetails, BillingDetailsUpdate
from kaspr_tui.billing.errors import FieldError
from kaspr_tui.billing.tax import compact_vat_number
from kaspr_tui.billing.validation import validate_billing_details
from kaspr_tui.server.errors import field_errors
from kaspr_tui.server.events import record_event
from kaspr_tui.server.store import Tx
from kaspr_tui.server.workspaces import bump_version


def billing_details_problems(update: BillingDetailsUpdate) -> list[FieldError]:
    address = update.address
    return validate_billing_details(
        update.company, update.contact_name, update.email, address.line1, address.city,
        address.postal_code, address.country, update.vat_number, line2=address.line2, state=address.state,
    )


def normalized(update: BillingDetailsUpdate) -> BillingDetails:
    """The details as kept and printed, once `billing_details_problems` found nothing."""
    address = update.address
    country = address.country.upper()
    vat_number = compact_vat_number(update.vat_number, country) if update.vat_number else None
    return BillingDetails(
        company=update.company,
        contact_name=update.contact_name,
        email=update.email,
        address=Address(**{**address.model_dump(), "country": country, "postal_code": address.postal_code.upper()}),
        vat_number=vat_number,
        vat_status="valid" if vat_number else "none",
    )


def store_billing_details(tx: Tx, workspace_id: str, details: BillingDetails, *, actor: str | None) -> None:
    tx.run(
        "INSERT INTO billing_details(workspace_id, details) VALUES (?, ?) "
        "ON CONFLICT(workspace_id) DO UPDATE SET details = excluded.details",
        (workspace_id, details.model_dump_json()),
    )
    # The VAT on a quote depends on these details: quotes made before are stale.
    bump_version(tx, workspace_id)
    record_event(tx, workspace_id, "billing_details.updated", "Billing details updated", actor=actor,
                 data={"country": details.address.country, "vat_number": details.vat_number})


def save_billing_details(tx: Tx, workspace_id: str, update: BillingDetailsUpdate, *, actor: str) -> BillingDetails:
    if errors := billing_details_problems(update):
        raise field_errors(errors)
    details = normalized(update)
    store_billing_details(tx, workspace_id, details, actor=actor)
    return details
