"""Who is calling: API keys (stored as SHA-256 hashes), roles, and which workspace a call reads.

Another workspace's id is answered `404`, never `403`, so a key cannot learn which ids exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kaspr_tui.api.models import Role
from kaspr_tui.server.context import ServerContext, get_context
from kaspr_tui.server.errors import ApiError, invalid, not_found
from kaspr_tui.server.store import hash_api_key

WORKSPACE_HEADER = "Kaspr-Workspace"

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer kt_…`.")

ROLE_NAMES: dict[Role, str] = {"admin": "a workspace admin", "member": "a workspace member", "support": "Kaspr support"}


@dataclass(frozen=True)
class Principal:
    user_id: str
    email: str
    name: str
    role: Role
    workspace_id: str | None
    """None for support, who belong to no workspace."""


def authenticate(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    context: Annotated[ServerContext, Depends(get_context)],
) -> Principal:
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "api_key_missing", "Send your API key: `Authorization: Bearer <key>`.")
    key_hash = hash_api_key(credentials.credentials)
    with context.transaction() as tx:
        row = tx.one(
            "SELECT u.id, u.email, u.name, u.is_support, m.role, m.workspace_id FROM api_keys k "
            "JOIN users u ON u.id = k.user_id "
            "LEFT JOIN memberships m ON m.user_id = u.id AND m.status = 'active' "
            "WHERE k.key_hash = ?",
            (key_hash,),
        )
    if row is None:
        raise ApiError(401, "api_key_invalid", "This API key is not valid: check it, or ask your admin for a new one.")
    context.verified_keys.add(key_hash)
    if row["is_support"]:
        return Principal(row["id"], row["email"], row["name"], "support", None)
    if row["workspace_id"] is None:
        raise ApiError(401, "api_key_invalid", "This API key's user no longer belongs to a workspace.")
    return Principal(row["id"], row["email"], row["name"], row["role"], row["workspace_id"])


def _check_role(principal: Principal, roles: tuple[Role, ...]) -> None:
    if principal.role not in roles:
        needed = " or ".join(ROLE_NAMES[role] for role in roles)
        raise ApiError(403, "role_forbidden", f"Only {needed} can do this; your key is {ROLE_NAMES[principal.role]}'s.")


def require(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller, if their role is one of `roles`."""

    async def dependency(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        _check_role(principal, roles)
        return principal

    return dependency


@dataclass(frozen=True)
class Scope:
    """The caller and the workspace the call is about."""

    principal: Principal
    workspace_id: str


WorkspaceHeader = Annotated[
    str | None,
    Header(
        alias=WORKSPACE_HEADER,
        max_length=64,
        description="Support keys: the workspace to read (`ws_…`). Others may omit it, or name their own.",
    ),
]


def _own_scope(principal: Principal, requested: str | None) -> Scope:
    """A workspace key's one workspace. Naming another is `404` whether it exists or not, for a
    read and a write alike, so a key learns nothing of other workspaces and never changes its own
    by mistake."""
    assert principal.workspace_id is not None
    if requested and requested != principal.workspace_id:
        raise invalid(
            "resource_missing",
            f"This key reaches only its own workspace: leave out the {WORKSPACE_HEADER} header "
            "(only Kaspr support names a workspace).",
            WORKSPACE_HEADER, status=404,
        )
    return Scope(principal, principal.workspace_id)


def _workspace_scope(
    principal: Principal, requested: str | None, context: ServerContext
) -> Scope:
    if principal.role == "support":
        if not requested:
            raise invalid(
                "parameter_missing",
                f"Support keys belong to no workspace: name one with the {WORKSPACE_HEADER} header.",
                WORKSPACE_HEADER,
            )
        with context.transaction() as tx:
            if tx.one("SELECT 1 FROM workspaces WHERE id = ?", (requested,)) is None:
                raise not_found("workspace", WORKSPACE_HEADER)
        return Scope(principal, requested)
    return _own_scope(principal, requested)


def workspace_scope(*roles: Role) -> Callable[..., Scope]:
    """A dependency for a call on one workspace; support name theirs with `Kaspr-Workspace`."""

    def dependency(
        principal: Annotated[Principal, Depends(authenticate)],
        context: Annotated[ServerContext, Depends(get_context)],
        kaspr_workspace: WorkspaceHeader = None,
    ) -> Scope:
        _check_role(principal, roles)
        return _workspace_scope(principal, kaspr_workspace, context)

    return dependency


def own_workspace(*roles: Role) -> Callable[..., Awaitable[Scope]]:
    """A dependency for a change to the caller's own workspace (never support's)."""

    async def dependency(
        principal: Annotated[Principal, Depends(authenticate)], kaspr_workspace: WorkspaceHeader = None
    ) -> Scope:
        _check_role(principal, roles)
        return _own_scope(principal, kaspr_workspace)

    return dependency
