"""`ApiError`: every way a call to the billing API can fail, as one exception the TUI can show.

An error body from the API keeps its fields as sent. A body that is not the API's error shape
(a proxy's HTML page) and a failure to get any answer at all (unreachable server, timeouts)
become the same exception with a message written for the person at the keyboard.
An `ApiError` never holds a request body, so a card number cannot leak through one.
"""

from __future__ import annotations

import math

import httpx
from pydantic import ValidationError

from kaspr_tui.api.models import ErrorResponse, FieldErrorWire

CONNECTION_ERROR = "connection_error"
"""The `type` of an error where no HTTP answer came back (`status` 0)."""


class ApiError(Exception):
    """A failed API call. `str()` is the message to show; `code` is what to branch on."""

    def __init__(
        self,
        *,
        status: int,
        type: str,
        code: str,
        message: str,
        param: str | None = None,
        errors: list[FieldErrorWire] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.param = param
        self.errors = list(errors or [])
        self.request_id = request_id
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"ApiError(status={self.status}, type={self.type!r}, code={self.code!r}, "
            f"message={self.message!r}, param={self.param!r}, request_id={self.request_id!r})"
        )

    @property
    def is_card_error(self) -> bool:
        """The card was refused: show the message next to the card, offer another card."""
        return self.type == "card_error"

    @property
    def is_connection_error(self) -> bool:
        """No answer came back at all: the same action can simply be tried again."""
        return self.type == CONNECTION_ERROR

    @property
    def is_authentication_error(self) -> bool:
        """The API key is missing or wrong."""
        return self.type == "authentication_error"

    @property
    def is_permission_error(self) -> bool:
        """The key's role may not do this."""
        return self.type == "permission_error"

    def field_errors(self) -> dict[str, str]:
        """Input name (`address.postal_code`, `seats`) → message, to show beside each input.

        The first message per input wins; an error naming only `param` counts as one field error.
        """
        messages: dict[str, str] = {}
        for error in self.errors:
            if error.param is not None:
                messages.setdefault(error.param, error.message)
        if not messages and self.param is not None:
            messages[self.param] = self.message
        return messages

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        """The API's error body as an exception; anything else as an `unexpected_response`."""
        try:
            body = ErrorResponse.model_validate_json(response.content).error
        except ValidationError:
            return cls.unexpected_response(response)
        return cls(
            status=response.status_code,
            type=body.type,
            code=body.code,
            message=body.message,
            param=body.param,
            errors=body.errors,
            request_id=body.request_id or response.headers.get("Request-Id"),
            retry_after=retry_after_seconds(response),
        )

    @classmethod
    def unexpected_response(cls, response: httpx.Response) -> ApiError:
        """An answer that is not the billing API's (a proxy's error page, a wrong --api-url)."""
        status = response.status_code
        where = f"{response.request.method} {response.request.url.path}"
        if status >= 500:
            code = "unavailable"
            message = (
                f"The billing server is not available right now (HTTP {status} for {where}). "
                "Wait a moment, then retry."
            )
        else:
            code = "unexpected_response"
            message = (
                f"The billing server answered {where} with HTTP {status} in a form kaspr-tui "
                "does not understand. Check that --api-url points at the Kaspr billing API."
            )
        return cls(
            status=status,
            type="api_error",
            code=code,
            message=message,
            request_id=response.headers.get("Request-Id"),
            retry_after=retry_after_seconds(response),
        )

    @classmethod
    def unreachable(cls, base_url: str, reason: str) -> ApiError:
        return cls(
            status=0,
            type=CONNECTION_ERROR,
            code="unreachable",
            message=(
                f"Could not reach the billing server at {base_url}: {reason}. "
                "Check your network or --api-url, then retry."
            ),
        )

    @classmethod
    def timed_out(cls, base_url: str, timeout: float, attempts: int) -> ApiError:
        tries = "once" if attempts == 1 else f"{attempts} times"
        return cls(
            status=0,
            type=CONNECTION_ERROR,
            code="timeout",
            message=(
                f"The billing server at {base_url} did not answer within {timeout:g} s "
                f"(tried {tries}). Check your network, then retry."
            ),
        )


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The `Retry-After` header in seconds, or None when absent or not a number of seconds."""
    try:
        seconds = float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
