"""Languages of the web app: gettext catalogs (Babel) and locale-aware number/date formatting.

Catalogs live in locales/{zh_CN,en}/LC_MESSAGES/messages.po, compiled to messages.mo
(both committed; `python -m b2bgrowth.i18n.catalog` extracts, updates and compiles them).
Message ids are English; the en catalog is an identity catalog kept for completeness.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_currency as _babel_format_currency
from babel.numbers import format_decimal as _babel_format_decimal
from babel.numbers import format_percent as _babel_format_percent
from babel.support import Translations

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
LANG_COOKIE = "lang"

# The language of the request being rendered; templates' `_()` reads it, so one shared Jinja
# environment serves every language without per-request state on the environment.
current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def translator(lang: str) -> Translations:
    lang = normalise(lang) or DEFAULT_LANGUAGE
    return Translations.load(str(LOCALES_DIR), [lang], domain="messages")


def normalise(lang: str | None) -> str | None:
    """'zh-CN', 'zh_cn', 'zh-Hans', 'zh' → 'zh_CN'; 'en-US' → 'en'; anything else → None."""
    if not lang:
        return None
    code = lang.strip().replace("-", "_").lower()
    if code.startswith("zh"):
        return "zh_CN"
    if code.startswith("en"):
        return "en"
    return None


def negotiate(cookie_value: str | None, accept_language: str | None) -> str:
    """The `lang` cookie wins; then the browser's Accept-Language (by q); then Chinese."""
    chosen = normalise(cookie_value)
    if chosen:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            ranked.append((-quality, position, tag))
    for neg_quality, _, tag in sorted(ranked):
        if neg_quality < 0 and normalise(tag):
            return normalise(tag)  # type: ignore[return-value]
    return DEFAULT_LANGUAGE


def gettext(message: str, **variables) -> str:
    """Translate into the current language; `%(name)s` placeholders filled from `variables`."""
    text = translator(current_language.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    text = translator(current_language.get()).ngettext(singular, plural, n)
    return text % dict(variables, num=n)


def babel_locale(lang: str | None = None) -> Locale:
    try:
        return Locale.parse(lang or current_language.get())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)


def format_number(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _babel_format_decimal(value, format=pattern, locale=babel_locale())


def format_money(value, currency: str = "CNY", digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "¤#,##0" + ("." + "0" * digits if digits else "")
    return _babel_format_currency(value, currency, format=pattern, locale=babel_locale(), currency_digits=False)


def format_percent(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return _babel_format_percent(value, format=pattern, locale=babel_locale())


def format_date(value, format: str = "medium") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return _babel_format_date(value, format=format, locale=babel_locale())
