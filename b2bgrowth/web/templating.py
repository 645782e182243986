"""Server-rendered pages: one Jinja2 environment, `render(request, name, **context)`.

Every template gets: `_()` / `ngettext()` (current language), `lang`, `html_lang`, `languages`,
`user`, `nav` (entries this user's role may see), `csrf_token`, `current_path`, `static_url`,
formatters `fmt_number`, `fmt_money`, `fmt_percent`, `fmt_date` (web/format.py), and `mask` helpers via `can_see`.
Templates live in b2bgrowth/web/templates/<capability>/…; a capability may also declare its own
template folder (`Capability.templates`), searched after the shell's (`add_template_dirs`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from b2bgrowth import i18n
from b2bgrowth.auth.security import may_see
from b2bgrowth.web.format import register_template_globals
from b2bgrowth.web.security import CSRF_FIELD, csrf_token

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
PACKAGE_DIR = Path(__file__).parent.parent


def add_template_dirs(folders) -> None:
    """Search these folders too, after the shell's own (each capability's declared templates)."""
    known = {tuple(loader.searchpath) for loader in _loader.loaders if isinstance(loader, FileSystemLoader)}
    for folder in folders:
        if (str(folder),) not in known:
            _loader.loaders.append(FileSystemLoader(str(folder)))
            known.add((str(folder),))


def _tojson(value: Any) -> Markup:
    """JSON safe inside <script>: '<', '>' and '&' escaped so data cannot close the tag."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _static_version() -> str:
    # Cache-busting: the newest mtime of the static folder, so a deploy invalidates old assets.
    stamps = [int(p.stat().st_mtime) for p in STATIC_DIR.glob("*") if p.is_file()]
    return str(max(stamps, default=0))


_loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES_DIR))])
environment = Environment(
    loader=_loader,
    autoescape=select_autoescape(["html", "xml"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(
    _=i18n.gettext,
    gettext=i18n.gettext,
    ngettext=i18n.ngettext,
    languages=i18n.LANGUAGE_NAMES,
    csrf_field_name=CSRF_FIELD,
)
register_template_globals(environment)  # fmt_number, fmt_money, fmt_percent, fmt_date
environment.filters["tojson"] = _tojson
STATIC_VERSION = _static_version()


def static_url(name: str) -> str:
    return f"/static/{name}?v={STATIC_VERSION}"


environment.globals["static_url"] = static_url


def request_language(request: Request) -> str:
    lang = getattr(request.state, "lang", None)
    if lang is None:
        lang = i18n.negotiate(request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language"))
        request.state.lang = lang
    return lang


def base_context(request: Request) -> dict[str, Any]:
    lang = request_language(request)
    user = getattr(request.state, "user", None)
    nav_items = getattr(request.app.state, "nav", [])
    role = user.role if user is not None else None
    nav = [item for item in nav_items if role and (item.roles is None or role in item.roles)]
    path = request.url.path
    active = max((item.path for item in nav if path == item.path or path.startswith(item.path.rstrip("/") + "/")),
                 key=len, default=None)
    return {
        "request": request,
        "lang": lang,
        "html_lang": lang.replace("_", "-"),
        "user": user,
        "nav": nav,
        "active_nav": active,
        "csrf_token": csrf_token(request),
        "current_path": path,
        "current_url": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        "can_see": (lambda field: bool(user) and may_see(user.role, field)),
        "product_name": "b2bgrowth",
    }


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    full = base_context(request)
    full.update(context)
    token = i18n.current_language.set(full["lang"])
    try:
        html = environment.get_template(template).render(full)
    finally:
        i18n.current_language.reset(token)
    return HTMLResponse(html, status_code=status_code)
