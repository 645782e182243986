"""The shell's own routes: home, sign-in/out, language switch, health."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

from b2bgrowth import i18n
from b2bgrowth.auth import service
from b2bgrowth.auth.throttle import Refusal, SignInLimits
from b2bgrowth.i18n.labels import N_
from b2bgrowth.web.deps import WorkspaceDep, optional_user
from b2bgrowth.web.security import end_session, start_session
from b2bgrowth.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger("b2bgrowth.auth")


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: '/x' yes; '//evil.com', 'https://…', '/\\evil' no (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@router.get("/healthz")
def healthz(ws: WorkspaceDep):
    ws.store.revisions(["users"])  # proves the store answers
    return JSONResponse({"status": "ok"})


@router.get("/")
def home(request: Request):
    user = optional_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(request.app.state.home_path, status_code=303)


@router.get("/login")
def login_page(request: Request, next: str | None = None):
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next, request.app.state.home_path), status_code=303)
    return render(request, "login.html", next=safe_next(next, ""), error=None, login="")


def client_address(request: Request) -> str:
    """The peer address (behind a reverse proxy: the proxy's, unless uvicorn trusts its headers)."""
    return request.client.host if request.client else "unknown"


def signin_limits(request: Request) -> SignInLimits:
    return request.app.state.signin_limits


@router.post("/login")
def login_submit(
    request: Request, ws: WorkspaceDep,
    login: str = Form(""), password: str = Form(""), next: str = Form(""),
):
    limits = signin_limits(request)
    address = client_address(request)
    attempt = limits.begin(login, address)
    if isinstance(attempt, Refusal):
        # Refused before the password is looked at: a right password now would tell a guesser
        # nothing, and the refusal itself says nothing about whether the login exists.
        log.warning("sign-in refused (too many failures by %s): login=%r address=%s retry_after=%ss",
                    attempt.reason, login[:64], address, attempt.retry_after)
        message = i18n.ngettext("Too many failed sign-ins. Try again in %(num)s minute.",
                                "Too many failed sign-ins. Try again in %(num)s minutes.", attempt.minutes)
        response = render(request, "login.html", status_code=429, next=safe_next(next, ""),
                          error=message, login=login)
        response.headers["Retry-After"] = str(attempt.retry_after)
        return response
    user = service.verify_password(ws, login, password)
    if user is None:
        return render(request, "login.html", status_code=401, next=safe_next(next, ""),
                      error=N_("Wrong login or password."), login=login)
    limits.succeeded(attempt)
    start_session(request, user.login)
    request.state.user = user
    return RedirectResponse(safe_next(next, request.app.state.home_path), status_code=303)


@router.post("/logout")
def logout(request: Request):
    end_session(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, request: Request, next: str | None = None):
    lang = i18n.normalise(code) or i18n.DEFAULT_LANGUAGE
    response = RedirectResponse(safe_next(next, "/"), status_code=303)
    response.set_cookie(i18n.LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=False)
    return response


def login_redirect(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?" + urlencode({"next": target})
