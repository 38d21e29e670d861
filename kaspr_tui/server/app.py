"""The bundled billing server: `create_app(settings)` serves every endpoint of API.md."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kaspr_tui import __version__
from kaspr_tui.server.context import SETTLE_EVERY_SECONDS, ServerContext
from kaspr_tui.server.errors import ApiError, invalid, validation_error
from kaspr_tui.server.middleware import (
    BodyLimitMiddleware,
    FaultInjectionMiddleware,
    IdempotencyMiddleware,
    RateLimitMiddleware,
    RequestIdMiddleware,
    request_id_of,
    served_methods,
)
from kaspr_tui.server.routes import KEY_REQUIRED, SAFE_TO_RUN_AGAIN, router
from kaspr_tui.server.settings import ServerSettings

log = logging.getLogger("kaspr_tui.server")

DESCRIPTION = """The Kaspr billing API (version 1), as served by `kaspr-tui mock-server`.

Authenticate with `Authorization: Bearer <api key>`. Money is integer cents; times are RFC 3339 UTC.
Every error answers `{"error": {type, code, message, param, errors, request_id}}`.
"""


def create_app(settings: ServerSettings) -> FastAPI:
    context = ServerContext.open(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        woken = asyncio.Event()
        loop = asyncio.get_running_loop()

        def wake() -> None:  # called from the threads requests run in
            loop.call_soon_threadsafe(woken.set)

        context.wake_settler = wake
        settler = asyncio.create_task(_settle_in_background(context, woken), name="kaspr-settler")
        try:
            yield
        finally:
            settler.cancel()
            with suppress(asyncio.CancelledError):
                await settler
            context.store.close()

    # The router's own routes, not `include_router`: FastAPI would build each route again for
    # the app, lazily, on the first request (~0.05 s, which the TUI's first request waited for).
    # Including adds nothing here: no prefix, tags or dependencies.
    app = FastAPI(title="Kaspr billing API", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, routes=router.routes, lifespan=lifespan)
    app.state.context = context
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # Added innermost first: the request id wraps everything, idempotency sits next to the routes,
    # and no body is read before the rate limit and the body limit have let it through.
    app.add_middleware(IdempotencyMiddleware, context=context, router=app.router,
                       safe_to_run_again=SAFE_TO_RUN_AGAIN, key_required=KEY_REQUIRED)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(RateLimitMiddleware, rate=settings.rate_limit, verified=context.verified_keys)
    app.add_middleware(FaultInjectionMiddleware, latency_ms=settings.latency_ms, fail_rate=settings.fail_rate)
    app.add_middleware(RequestIdMiddleware)
    return app


async def _settle_in_background(context: ServerContext, woken: asyncio.Event) -> None:
    """The processor's own job: settle what falls due (payments, expired 3-D Secure steps,
    renewals) whether or not anyone asks, off the event loop; woken early when a payment starts."""
    while True:
        try:
            wait = await asyncio.to_thread(context.run_due_everywhere)
        except Exception:
            log.exception("Settling what fell due failed; trying again in %s s", SETTLE_EVERY_SECONDS)
            wait = SETTLE_EVERY_SECONDS
        with suppress(TimeoutError):
            await asyncio.wait_for(woken.wait(), timeout=wait)
        woken.clear()


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return exc.response(request_id_of(request.scope))


async def _request_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    error = validation_error(exc.errors(), request.headers.get("content-type"))
    return error.response(request_id_of(request.scope))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own answers (unknown URL, wrong method, unreadable body) in the API's shape."""
    assert isinstance(exc, StarletteHTTPException)
    where = f"{request.method} {request.url.path}"
    if exc.status_code == 404:
        error = invalid("resource_missing", f"Unrecognized request URL ({where}): see the API reference.", status=404)
    elif exc.status_code == 405:
        allowed = sorted(served_methods(request.app.router, request.scope))
        error = ApiError(405, "method_not_allowed",
                         f"{request.method} is not allowed on {request.url.path}: use {', '.join(allowed)}.",
                         headers={"Allow": ", ".join(allowed)})
    elif exc.status_code == 400:
        error = invalid("parameter_invalid", "The request body could not be read: send JSON.")
    else:
        error = ApiError(exc.status_code, "invalid_request", "This request cannot be served.",
                         error_type="invalid_request_error", headers=exc.headers)
    return error.response(request_id_of(request.scope))
