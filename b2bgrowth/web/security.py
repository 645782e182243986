"""Sessions and CSRF for the web app.

The session is Starlette's signed cookie (itsdangerous, key from settings.require_secret_key()):
it holds the signed-in login and a CSRF token bound to this session. Every state-changing
request made with the session cookie must carry that token — as the form field `csrf_token`
or the header `X-CSRF-Token` (htmx sends the header, set once on <body>). Requests that
authenticate with `Authorization: Bearer` carry no ambient credential, so they need no token.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

SESSION_COOKIE = "b2bgrowth_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_MAX_AGE = 12 * 3600  # one working day; signing in again is cheap


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def start_session(request: Request, login: str) -> None:
    """Sign in: a fresh session (new CSRF token) so a token planted before login is useless."""
    request.session.clear()
    request.session["login"] = login
    request.session["csrf"] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    request.session.clear()


def uses_bearer(request: Request) -> bool:
    return request.headers.get("authorization", "").lower().startswith("bearer ")


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: reject unsafe cookie-authenticated requests without the token."""
    if request.method in SAFE_METHODS or uses_bearer(request):
        return
    if request.url.path.startswith("/api/") and "login" not in request.session:
        return  # no session credential to abuse; the route's auth answers 401
    expected = request.session.get("csrf")
    supplied = request.headers.get(CSRF_HEADER)
    if not supplied:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # cached by Starlette; the endpoint reads it again
            supplied = form.get(CSRF_FIELD)
    if not expected or not isinstance(supplied, str) or not hmac.compare_digest(expected, supplied):
        raise HTTPException(403, "missing or invalid CSRF token; reload the page and try again")
