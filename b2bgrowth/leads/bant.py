"""BANT as people write it: budget, authority, need, timeline.

The store keeps what was typed (leads.budget/authority/need/timeline are text); this module
reads it. Accepted forms (English, case-insensitive, and the Chinese people actually type):

- budget:    yes / no / unknown (有 / 有预算 / 无 / 没有 / 无预算 / 未知 / 待定), or an amount
             ("50000", "50,000", "¥50,000", "5万", "50k", "1.2m") → kind "amount" with the number.
- authority: yes / no / unknown (是 / 有 / 决策人 / 否 / 无 / 非决策人 / 未知).
- need:      high / medium / low (高 / 中 / 低); any other text is a stated need (level "text").
- timeline:  a date (YYYY-MM-DD or YYYY/MM/DD), a number of months ("3", "3 months", "3个月",
             "3个月内"), or a bucket <3m / 3-6m / >6m / unknown (3个月内 / 3-6个月 / 6个月以上 / 未知).
             Dates and month counts become a bucket: months until the date (from the lead's
             creation), < 3 → "<3m", 3–6 → "3-6m", > 6 → ">6m"; a date already passed is "<3m".

Empty values mean "not asked yet" (None). Anything else raises BantError naming the field and
the value, so an import can say which cell is wrong. Parsing a column goes through its distinct
values only (a million leads carry a few dozen distinct BANT spellings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

TIMELINE_BUCKETS = ("<3m", "3-6m", ">6m", "unknown")
NEED_LEVELS = ("high", "medium", "low", "text")


class BantError(ValueError):
    """A BANT value that is none of the accepted forms; the message names field and value."""

    def __init__(self, field: str, value: object, accepted: str):
        self.field, self.value = field, value
        super().__init__(f"{field}: {value!r} is not {accepted}")


_YES = {"yes", "y", "true", "1", "有", "是", "有预算", "已有预算", "已批"}
_NO = {"no", "n", "false", "0", "无", "否", "没有", "无预算", "没有预算"}
_UNKNOWN = {"unknown", "?", "n/a", "na", "tbd", "未知", "待定", "不确定", "不清楚"}
_AUTH_YES = _YES | {"决策人", "decision maker", "decision-maker"}
_AUTH_NO = _NO | {"非决策人", "not decision maker"}
_NEED = {"high": "high", "h": "high", "高": "high", "medium": "medium", "med": "medium", "m": "medium", "中": "medium",
         "low": "low", "l": "low", "低": "low"}
_BUCKETS = {
    "<3m": "<3m", "3个月内": "<3m", "三个月内": "<3m", "3个月以内": "<3m",
    "3-6m": "3-6m", "3-6个月": "3-6m", "3到6个月": "3-6m", "3～6个月": "3-6m", "3~6个月": "3-6m",
    ">6m": ">6m", "6个月以上": ">6m", "半年以上": ">6m", ">6个月": ">6m",
    "unknown": "unknown", "未知": "unknown", "待定": "unknown", "不确定": "unknown",
}
_AMOUNT = re.compile(r"^(?:¥|￥|rmb|cny|\$|usd)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万|w|k|千|m|百万|元)?\s*(?:元|rmb|cny)?$")
_MULTIPLIER = {None: 1, "元": 1, "k": 1e3, "千": 1e3, "万": 1e4, "w": 1e4, "m": 1e6, "百万": 1e6}
_MONTHS = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*(?:m|mo|month|months|个月|月)?\s*(?:内|以内)?$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def _clean(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text.lower() if text else None


@dataclass(frozen=True)
class Budget:
    kind: str  # "yes" | "no" | "unknown" | "amount"
    amount: float | None = None


def parse_budget(value: object) -> Budget | None:
    text = _clean(value)
    if text is None:
        return None
    if text in _YES:
        return Budget("yes")
    if text in _NO:
        return Budget("no")
    if text in _UNKNOWN:
        return Budget("unknown")
    match = _AMOUNT.match(text)
    if match:
        amount = float(match.group(1).replace(",", "")) * _MULTIPLIER[match.group(2)]
        return Budget("amount", amount) if amount > 0 else Budget("no")
    raise BantError("budget", value, "yes/no/unknown or an amount (e.g. 50000, 5万)")


def parse_authority(value: object) -> str | None:
    text = _clean(value)
    if text is None:
        return None
    if text in _AUTH_YES:
        return "yes"
    if text in _AUTH_NO:
        return "no"
    if text in _UNKNOWN:
        return "unknown"
    raise BantError("authority", value, "yes/no (是/否, 决策人)")


def parse_need(value: object) -> str | None:
    """high / medium / low, or "text" for a written need (any other non-empty text)."""
    text = _clean(value)
    if text is None:
        return None
    return _NEED.get(text, "text")


def _bucket_months(months: float) -> str:
    return "<3m" if months < 3 else ("3-6m" if months <= 6 else ">6m")


def parse_timeline(value: object, reference: date | datetime | None = None) -> str | None:
    """The timeline bucket; a date is measured in months from `reference` (default today)."""
    text = _clean(value)
    if text is None:
        return None
    kind, payload = _timeline_form(text, value)
    if kind == "bucket":
        return payload
    if kind == "months":
        return _bucket_months(payload)
    ref = reference or date.today()
    ref = ref.date() if isinstance(ref, datetime) else ref
    return _bucket_months((payload - ref).days / 30.4375)


def _timeline_form(text: str, raw: object) -> tuple[str, object]:
    """("bucket", "<3m") | ("months", 4.0) | ("date", date)."""
    if text in _BUCKETS:
        return "bucket", _BUCKETS[text]
    match = _MONTHS.match(text)
    if match:
        return "months", float(match.group(1))
    match = _DATE.match(text[:10]) if len(text) in (8, 9, 10) or text[10:11] in (" ", "t") else None
    if match:
        try:
            return "date", date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise BantError("timeline", raw, "a date, a number of months, or <3m / 3-6m / >6m / unknown")


def validate_bant(row: dict) -> dict:
    """Check the BANT cells of one imported row; raises BantError on the first bad one."""
    parse_budget(row.get("budget"))
    parse_authority(row.get("authority"))
    parse_need(row.get("need"))
    parse_timeline(row.get("timeline"))
    return row


# -- columns ---------------------------------------------------------------------------------

def _per_distinct(series: pd.Series, parse, strict: bool) -> tuple[np.ndarray, list]:
    """(codes, parsed distinct values + [None] for missing): `parse` runs once per distinct
    value; bad values raise (strict) or read as None."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    parsed = []
    for value in uniques:
        try:
            parsed.append(parse(value))
        except BantError:
            if strict:
                raise
            parsed.append(None)
    return codes, parsed + [None]


def _column(series: pd.Series, parse, strict: bool, pick=lambda v: v, dtype=object) -> np.ndarray:
    codes, parsed = _per_distinct(series, parse, strict)
    return np.array([None if v is None else pick(v) for v in parsed], dtype=dtype)[codes]


def parse_bant_frame(leads: pd.DataFrame, strict: bool = False) -> pd.DataFrame:
    """BANT columns of many leads, interpreted: budget_kind, budget_amount, authority_flag,
    need_level, timeline_bucket (dates measured from each lead's created_at).

    Stored values that are not valid (written before validation existed) read as missing
    unless strict, in which case the first one raises BantError.
    """
    n = len(leads)
    none = pd.Series([None] * n, index=leads.index, dtype=object)
    budget = leads.get("budget", none)
    out = pd.DataFrame(index=leads.index)
    out["budget_kind"] = _column(budget, parse_budget, strict, lambda b: b.kind)
    amounts = _column(budget, parse_budget, strict, lambda b: b.amount)
    out["budget_amount"] = pd.to_numeric(pd.Series(amounts, index=leads.index), errors="coerce").astype("float64")
    out["authority_flag"] = _column(leads.get("authority", none), parse_authority, strict)
    out["need_level"] = _column(leads.get("need", none), parse_need, strict)
    out["timeline_bucket"] = _timeline_column(leads, strict) if "timeline" in leads else none
    return out


def _timeline_column(leads: pd.DataFrame, strict: bool) -> np.ndarray:
    def form(value):
        text = _clean(value)
        return None if text is None else _timeline_form(text, value)

    codes, forms = _per_distinct(leads["timeline"], form, strict)
    fixed = [None if f is None else f[1] if f[0] == "bucket" else _bucket_months(f[1]) if f[0] == "months" else None
             for f in forms]
    result = np.array(fixed, dtype=object)[codes]
    date_of = np.array([np.datetime64(f[1], "ns") if f is not None and f[0] == "date" else np.datetime64("NaT", "ns")
                        for f in forms], dtype="datetime64[ns]")[codes]
    is_date = ~np.isnat(date_of)
    if is_date.any():
        today = np.datetime64(pd.Timestamp.today().normalize(), "ns")
        created = leads["created_at"] if "created_at" in leads else pd.Series(pd.NaT, index=leads.index)
        ref = pd.to_datetime(created).dt.normalize().to_numpy(dtype="datetime64[ns]")[is_date]
        ref = np.where(np.isnat(ref), today, ref)
        months = (date_of[is_date] - ref) / np.timedelta64(1, "D") / 30.4375
        result[is_date] = np.where(months < 3, "<3m", np.where(months <= 6, "3-6m", ">6m"))
    return result
