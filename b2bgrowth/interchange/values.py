"""Cell parsers and formatters: one pair per column kind of the interchange format.

A parser takes what a reader produced (a stripped string from CSV, or a native value from an
XLSX cell: int, float, datetime …) and returns the Python value stored in the model, or raises
`BadValue` with the reason that ends up in the row's error line. Empty cells never reach a
parser (empty = null is decided once, by the importer).

Formatters do the reverse for CSV export; XLSX export writes native values.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

# PostgreSQL INTEGER and NUMERIC(18, 4): checked here so both stores reject the same rows.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
MONEY_MAX = Decimal("99999999999999.9999")
MONEY_PLACES = Decimal("0.0001")

_SLASH_DATE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T](.*))?$")


class BadValue(ValueError):
    """A cell that cannot be read as its column's kind; the message is the reason shown."""


def text(value: Any, max_length: int | None = None) -> str:
    if isinstance(value, float) and value.is_integer():
        # XLSX stores typed-in ids and phone numbers as numbers: 13800138000 → "13800138000".
        value = int(value)
    if isinstance(value, datetime):
        value = value.isoformat(sep=" ")
    out = str(value)
    if max_length is not None and len(out) > max_length:
        raise BadValue(f"{out[:20]!r}… is longer than {max_length} characters")
    return out


def integer(value: Any) -> int:
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a whole number")
    if isinstance(value, int):
        out = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise BadValue(f"{_show(value)} is not a whole number")
        out = int(value)
    else:
        raw = str(value).replace(",", "")
        try:
            out = int(raw)
        except ValueError:
            try:
                as_decimal = Decimal(raw)
            except InvalidOperation:
                raise BadValue(f"{_show(value)} is not a whole number") from None
            if not as_decimal.is_finite() or as_decimal != as_decimal.to_integral_value():
                raise BadValue(f"{_show(value)} is not a whole number") from None
            out = int(as_decimal)
    if not INT_MIN <= out <= INT_MAX:
        raise BadValue(f"{_show(value)} is too large")
    return out


def count(value: Any) -> int:
    """A whole number that cannot be negative (employees, seats, target sizes)."""
    out = integer(value)
    if out < 0:
        raise BadValue(f"{_show(value)} is negative")
    return out


def money(value: Any) -> float:
    """A non-negative decimal amount, rounded to the four places the store keeps."""
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadValue(f"{_show(value)} is not a number")
        amount = Decimal(repr(value))
    else:
        raw = str(value).replace(",", "")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise BadValue(f"{_show(value)} is not a number") from None
        if not amount.is_finite():
            raise BadValue(f"{_show(value)} is not a number")
    if amount < 0:
        raise BadValue(f"{_show(value)} is negative (money must be 0 or more)")
    amount = amount.quantize(MONEY_PLACES)
    if amount > MONEY_MAX:
        raise BadValue(f"{_show(value)} is too large")
    return float(amount)


def nps_score(value: Any) -> int:
    try:
        out = integer(value)
    except BadValue:
        out = None
    if out is None or not 0 <= out <= 10:
        raise BadValue(f"{_show(value)} is not an integer from 0 to 10")
    return out


def day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    moment = _parse_moment(raw)
    if moment is None or moment.time() != time(0):
        raise BadValue(f"{_show(value)} is not a date (expected YYYY-MM-DD)")
    return moment.date()


def moment(value: Any) -> datetime:
    """A date and time; offsets are converted to UTC and dropped (the store keeps naive UTC)."""
    if isinstance(value, datetime):
        return _naive_utc(value)
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    parsed = _parse_moment(str(value))
    if parsed is None:
        raise BadValue(f"{_show(value)} is not a date and time (expected YYYY-MM-DD HH:MM:SS)")
    return parsed


def _parse_moment(raw: str) -> datetime | None:
    try:
        return _naive_utc(datetime.fromisoformat(raw))
    except ValueError:
        pass
    match = _SLASH_DATE.match(raw)
    if not match:
        return None
    year, month, dom, rest = match.groups()
    try:
        base = date(int(year), int(month), int(dom))
        if not rest:
            return datetime.combine(base, time(0))
        return datetime.combine(base, time.fromisoformat(rest.strip()))
    except ValueError:
        return None


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _show(value: Any) -> str:
    """How a bad cell appears in a reason: numbers bare (-5, 7.5), anything else quoted ('abc')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    raw = str(value)
    try:
        Decimal(raw.replace(",", ""))
        return raw
    except InvalidOperation:
        return repr(raw)


# -- formatting for CSV export ------------------------------------------------------------


def format_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_money(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def format_money(value: float) -> str:
    """Plain decimal notation, no exponent, no trailing zeros: 1e9 → "1000000000", 12.50 → "12.5"."""
    text_ = format(Decimal(repr(value)), "f")
    if "." in text_:
        text_ = text_.rstrip("0").rstrip(".")
    return text_
