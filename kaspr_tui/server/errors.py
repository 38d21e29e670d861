"""API errors in the one shape of API.md, and the translation of every failure into it.

Messages never repeat what was sent: a card number typed into the wrong field must not come back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi.responses import JSONResponse

from kaspr_tui.api.models import ErrorBody, ErrorResponse, FieldErrorWire
from kaspr_tui.billing.errors import FieldError

REQUEST_ID_SCOPE_KEY = "kaspr.request_id"

ERROR_TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "card_error",
    403: "permission_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "api_error",
}


class ApiError(Exception):
    """An answer other than 2xx; raised anywhere, turned into the error body by the app."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        errors: Sequence[FieldError] = (),
        error_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.errors = list(errors)
        self.error_type = error_type or ERROR_TYPE_BY_STATUS[status]
        self.headers = dict(headers or {})

    def body(self, request_id: str | None) -> ErrorResponse:
        return ErrorResponse(
            error=ErrorBody(
                type=self.error_type,
                code=self.code,
                message=self.message,
                param=self.param or None,
                errors=[FieldErrorWire(param=e.param or None, code=e.code, message=e.message) for e in self.errors],
                request_id=request_id,
            )
        )

    def response(self, request_id: str | None) -> JSONResponse:
        return JSONResponse(
            self.body(request_id).model_dump(mode="json"), status_code=self.status, headers=self.headers
        )


def invalid(code: str, message: str, param: str | None = None, *, status: int = 400) -> ApiError:
    """One problem with one parameter, listed in `errors` too so forms can show it in place."""
    errors = [FieldError(param, code, message)] if param else []
    return ApiError(status, code, message, param=param, errors=errors)


MAX_FIELD_ERRORS = 50
"""Field errors listed in one answer: a form has far fewer fields, and a body of thousands of
unknown keys must not get an answer of thousands of errors."""


def field_errors(errors: Sequence[FieldError], *, status: int = 400) -> ApiError:
    """Every problem at once (the first `MAX_FIELD_ERRORS` of them); the first one leads."""
    first, listed = errors[0], errors[:MAX_FIELD_ERRORS]
    if len(errors) == 1:
        message = first.message
    else:
        names = ", ".join(e.param for e in listed) + (", …" if len(errors) > len(listed) else "")
        message = f"{len(errors):,} fields need fixing: {names}. {first.message}"
    return ApiError(status, first.code, message, param=first.param, errors=listed)


def prefixed(errors: Iterable[FieldError], prefix: str) -> list[FieldError]:
    """Errors of a nested object named from the request's top: `number` → `payment_method.number`."""
    return [FieldError(f"{prefix}.{error.param}" if error.param else prefix, error.code, error.message)
            for error in errors]


def not_found(what: str, param: str | None = None) -> ApiError:
    return invalid("resource_missing", f"No such {what}: check the id, or that it belongs to this workspace.",
                   param, status=404)


def insufficient_credits(message: str, param: str | None = None) -> ApiError:
    error = invalid("insufficient_credits", message, param, status=402)
    error.error_type = "invalid_request_error"
    return error


def conflict(code: str, message: str, param: str | None = None) -> ApiError:
    return invalid(code, message, param, status=409)


def internal_error() -> ApiError:
    return ApiError(500, "internal_error", "Something went wrong on our side. Try again in a moment.")


def unavailable() -> ApiError:
    return ApiError(
        503, "unavailable", "The billing service is briefly unavailable. Try again in a moment.",
        headers={"Retry-After": "1"},
    )


# ---- request validation (pydantic) ----------------------------------------------------------


def validation_error(raw_errors: Iterable[Mapping[str, Any]], content_type: str | None) -> ApiError:
    """Pydantic's errors as field errors, one per problem, with dotted body paths."""
    errors = [_field_error(raw, content_type) for raw in raw_errors]
    return field_errors(errors) if errors else ApiError(400, "parameter_invalid", "The request is not valid.")


def _field_error(raw: Mapping[str, Any], content_type: str | None) -> FieldError:
    """One pydantic error; a problem with the body as a whole has the empty param (none on the wire)."""
    source, *path = raw["loc"] or ("body",)
    kind = raw["type"]
    if kind == "json_invalid":
        reason = (raw.get("ctx") or {}).get("error", "")
        return FieldError("", "parameter_invalid", f"The request body is not valid JSON ({reason}): check its syntax.")
    param = _param_path(path)
    if source == "body" and not param:
        if kind == "missing":
            return FieldError("", "parameter_missing", "This request needs a JSON body.")
        if content_type and "json" not in content_type:
            return FieldError("", "parameter_invalid", "Send the body as JSON, with Content-Type: application/json.")
        return FieldError("", "parameter_invalid", "The request body must be a JSON object.")
    code = "parameter_missing" if kind == "missing" else "parameter_invalid"
    # The value only tells text from a list: it is never put in a message (it may be a card number).
    return FieldError(param, code, _message(kind, param, raw.get("ctx") or {}, raw.get("msg", ""), raw.get("input")))


def _param_path(path: Sequence[str | int]) -> str:
    """`("address", "postal_code")` → `address.postal_code`; `("addons", 0, "quantity")` → `addons[0].quantity`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


TOO_LONG_MESSAGES = {
    "number": "This card number is too long: a card number has at most 19 digits.",
    "cvc": "This security code is too long: it has 3 digits, or 4 on an Amex.",
}
"""What a person would say of a card field that is far too long (its last param segment)."""


def _message(kind: str, param: str, ctx: Mapping[str, Any], fallback: str, value: object = None) -> str:
    if kind in ("too_long", "string_too_long") and isinstance(value, str):
        special = TOO_LONG_MESSAGES.get(param.rpartition(".")[2])
        return special or f"{param} must be at most {ctx.get('max_length')} characters long."
    messages = {
        "missing": f"{param} is required.",
        "extra_forbidden": f"{param} is not a parameter of this request: check its spelling.",
        "string_type": f"{param} must be text.",
        "string_too_short": (
            f"{param} cannot be empty." if ctx.get("min_length") == 1
            else f"{param} must be at least {ctx.get('min_length')} characters long."
        ),
        "too_long": f"{param} can have at most {ctx.get('max_length')} items.",
        "int_parsing": f"{param} must be a whole number.",
        "int_type": f"{param} must be a whole number.",
        "int_from_float": f"{param} must be a whole number.",
        "bool_parsing": f"{param} must be true or false.",
        "bool_type": f"{param} must be true or false.",
        "greater_than_equal": f"{param} must be at least {ctx.get('ge')}.",
        "greater_than": f"{param} must be more than {ctx.get('gt')}.",
        "less_than_equal": f"{param} must be at most {ctx.get('le')}.",
        "less_than": f"{param} must be less than {ctx.get('lt')}.",
        "literal_error": f"{param} must be one of {ctx.get('expected')}.",
        "list_type": f"{param} must be a list.",
        "model_type": f"{param} must be an object.",
        "model_attributes_type": f"{param} must be an object.",
        "dict_type": f"{param} must be an object.",
    }
    # Pydantic's own messages describe the rule, never the value, so they are safe to pass on.
    return messages.get(kind, f"{param}: {fallback}.")
