"""FastAPI dependencies: the workspace, the signed-in user, role checks.

    @router.get("/things")
    def things(ws: WorkspaceDep, user: CurrentUser): ...                    # any signed-in role
    @router.post("/things", dependencies=[Depends(require_roles("admin", "ops"))])

A user comes from the session cookie or from `Authorization: Bearer <token_id>.<secret>`.
Without one, API paths answer 401 JSON and pages redirect to /login (see app.py handlers);
`PageUser` is the same dependency, named for page handlers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request

from b2bgrowth.auth import service
from b2bgrowth.auth.models import ROLES, User

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

log = logging.getLogger("b2bgrowth.auth")


class NotAuthenticated(Exception):
    """No valid session or token; the app turns this into 401 (API) or a redirect (pages)."""

    def __init__(self, reason: str = "authentication required"):
        super().__init__(reason)
        self.reason = reason


def get_workspace(request: Request) -> Workspace:
    return request.app.state.ws


# The toolkit sits below the capabilities and the Workspace above them, so the Workspace type is
# for type checkers only; FastAPI needs only the dependency.
if TYPE_CHECKING:
    WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
else:
    WorkspaceDep = Annotated[object, Depends(get_workspace)]


def optional_user(request: Request) -> User | None:
    """The signed-in user or None; cached on request.state for the rest of the request."""
    if hasattr(request.state, "user"):
        return request.state.user
    ws: Workspace = request.app.state.ws
    user = None
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        limits = request.app.state.signin_limits  # auth/throttle.py: bad tokens per client address
        address = request.client.host if request.client else "unknown"
        refusal = limits.token_refusal(address)
        if refusal is not None:
            request.state.user = None
            log.warning("API request refused (too many bad tokens): address=%s retry_after=%ss",
                        address, refusal.retry_after)
            raise HTTPException(429, "too many requests with an invalid API token from this address; "
                                     f"try again in {refusal.retry_after} s",
                                headers={"Retry-After": str(refusal.retry_after)})
        user = service.user_for_token(ws, header[7:].strip())
        if user is None:
            limits.token_failed(address)
            request.state.user = None
            raise NotAuthenticated("invalid or revoked API token")
    else:
        login = request.session.get("login") if "session" in request.scope else None
        if login:
            user = service.get_user(ws, login)
            if user is None:  # deleted or deactivated since signing in
                request.session.clear()
    request.state.user = user
    return user


def current_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise NotAuthenticated()
    return user


CurrentUser = Annotated[User, Depends(current_user)]
PageUser = CurrentUser


def require_roles(*roles: str):
    """A dependency that lets only these roles through (403 naming the roles otherwise)."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown roles {unknown}; known: {ROLES}")

    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(403, f"role {user.role!r} may not do this; allowed: {', '.join(roles)}")
        return user

    return check
