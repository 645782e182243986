"""The web application factory: shell (sessions, CSRF, i18n, errors, static) + every capability's pages.

    from b2bgrowth.web.app import create_app
    app = create_app(ws)          # app.state.ws is the Workspace

Capabilities add routers, pages, nav entries and account panels through their declarations
(b2bgrowth/capabilities.py: `register_web(web: WebRegistry)`).
"""

from __future__ import annotations

import contextlib
import logging
from http.cookies import CookieError, SimpleCookie

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from b2bgrowth import capabilities, i18n
from b2bgrowth.auth.security import WRITE_ROLES
from b2bgrowth.auth.throttle import SignInLimits
from b2bgrowth.web.deps import NotAuthenticated, optional_user
from b2bgrowth.web.pages import login_redirect
from b2bgrowth.web.pages import router as shell_router
from b2bgrowth.web.security import SAFE_METHODS, SESSION_COOKIE, SESSION_MAX_AGE, csrf_protect
from b2bgrowth.web.shell import WebRegistry
from b2bgrowth.web.templating import STATIC_DIR, add_template_dirs, render, request_language
from b2bgrowth.workspace import Workspace

log = logging.getLogger("b2bgrowth.web")

# Unsafe requests any signed-in role may make (they change only the caller's own session).
_SESSION_PATHS = frozenset({"/login", "/logout"})


async def viewers_read_only(request: Request) -> None:
    """Viewers look; they never change data — enforced once for every route."""
    if request.method in SAFE_METHODS or request.url.path in _SESSION_PATHS:
        return
    user = optional_user(request)
    if user is not None and user.role not in WRITE_ROLES:
        raise StarletteHTTPException(403, f"role {user.role!r} is read-only")


class LanguageMiddleware:
    """Sets the request's language (lang cookie, else Accept-Language) before any handler runs.

    `i18n.gettext()` reads a context variable; setting it here, around the whole request, makes
    it right in dependencies, sync handlers (Starlette copies the context into its threadpool)
    and templates alike.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        cookie = SimpleCookie()
        with contextlib.suppress(CookieError):  # a malformed cookie header: no language cookie
            cookie.load(headers.get("cookie", ""))
        morsel = cookie.get(i18n.LANG_COOKIE)
        lang = i18n.negotiate(morsel.value if morsel else None, headers.get("accept-language"))
        scope.setdefault("state", {})["lang"] = lang
        token = i18n.current_language.set(lang)
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.current_language.reset(token)


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _error_response(request: Request, status: int, detail, errors=None):
    if wants_json(request):
        body = {"detail": detail}
        if errors is not None:
            body["errors"] = errors
        return JSONResponse(body, status_code=status)
    request_language(request)
    try:
        optional_user(request)
    except NotAuthenticated:
        request.state.user = None
    return render(request, "error.html", status_code=status, status=status, detail=detail)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def _not_authenticated(request: Request, exc: NotAuthenticated):
        if wants_json(request):
            return JSONResponse({"detail": exc.reason}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        target = login_redirect(request)
        if request.headers.get("hx-request"):
            return JSONResponse({"detail": exc.reason}, status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        response = _error_response(request, exc.status_code, exc.detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        errors = [{"where": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in exc.errors()]
        detail = "; ".join(f"{e['where']}: {e['reason']}" for e in errors) or "invalid request"
        return _error_response(request, 422, detail, errors)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_response(request, 500, "internal error; the server log has the details")


def create_app(ws: Workspace) -> FastAPI:
    secret = ws.settings.require_secret_key()
    app = FastAPI(
        title="b2bgrowth",
        description="Customer growth for B2B companies. Authenticate with `Authorization: Bearer <token>` "
                    "(create one with `b2bgrowth token create LOGIN`).",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI would load from a CDN; the JSON document is served instead
        redoc_url=None,
        dependencies=[Depends(csrf_protect), Depends(viewers_read_only)],
    )
    app.state.ws = ws
    app.state.signin_limits = SignInLimits()  # failed sign-ins and bad tokens (auth/throttle.py)
    # HttpOnly always (Starlette); Secure when the app is served over HTTPS (settings.cookie_secure).
    app.add_middleware(
        SessionMiddleware, secret_key=secret, session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE, same_site="lax", https_only=ws.settings.cookie_secure,
    )
    app.add_middleware(LanguageMiddleware)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    _install_error_handlers(app)
    app.include_router(shell_router)

    registry = WebRegistry()
    capabilities.register_web(registry)
    add_template_dirs(capabilities.template_dirs())
    for router in registry.routers:
        app.include_router(router)
    app.state.nav = sorted(registry.nav, key=lambda item: (item.order, item.path))
    app.state.account_panels = sorted(registry.account_panels, key=lambda p: (p.order, p.key))
    app.state.account_figures = dict(registry.account_figures)
    paths = {getattr(route, "path", None) for route in app.routes}
    app.state.home_path = "/dashboard" if "/dashboard" in paths else "/accounts"
    app.state.languages = i18n.LANGUAGES
    return app
