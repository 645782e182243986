"""The keys de-duplication matches on (issue 3, item 2), exactly as the issue words them.

Each function takes what a person typed and returns the normalised key, or None when nothing
is left to match on (an empty key must never make two strangers the same person).
The vectorised versions (`*_series`) give the same answers for a whole column at once.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

# Trailing legal suffixes, removed repeatedly ("X 集团 有限公司" → "X"). Compared after NFKC and
# lower-casing, so full-width （中国） arrives here as (中国). "Co., Ltd." is covered by removing
# "ltd." and then "co." in turn. Latin suffixes count only as whole words ("Zinc" keeps its
# "inc"); Chinese ones are written without spaces, so they need no boundary.
CHINESE_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "集团", "(中国)", "（中国）")
LATIN_SUFFIXES = ("co.", "ltd.", "ltd", "inc", "llc", "corp", "corporation", "company")
# Separators between suffixes ("Acme, Inc.", "Acme Co., Ltd.") are trimmed as the suffixes go.
_TRAILING_SEPARATORS = " \t\n,.;"
_DROP_RE = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS_RE = re.compile(r"\D+")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # None or NaN


def normalize_email(value: str | None) -> str | None:
    """Trimmed and lower-cased ("  Li.Wei@Example.COM " → "li.wei@example.com")."""
    if _missing(value):
        return None
    key = str(value).strip().lower()
    return key or None


def normalize_phone(value: str | None) -> str | None:
    """Digits only; a leading 0086, or 86 on a 13-digit number, removed.

    "+86 138-0013-8000" → digits "8613800138000" (13 digits, leading 86) → "13800138000";
    "0086 13800138000" → "13800138000"; "010-6552 9988" → "01065529988".
    """
    if _missing(value):
        return None
    digits = _DIGITS_RE.sub("", str(value))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits or None


def normalize_company(value: str | None) -> str | None:
    """NFKC, lower-case, trailing legal suffixes removed repeatedly, then spaces and punctuation dropped.

    "北京数联信息技术 (中国) 有限公司" → "北京数联信息技术"; "Acme Co., Ltd." → "acme".
    """
    if _missing(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).lower()
    text = _strip_suffixes(text)
    key = _DROP_RE.sub("", text)
    return key or None


def _strip_suffixes(text: str) -> str:
    while text:
        for suffix in CHINESE_SUFFIXES:
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                break
        else:
            for suffix in LATIN_SUFFIXES:
                before = len(text) - len(suffix)
                if text.endswith(suffix) and (before == 0 or not text[before - 1].isalnum()):
                    text = text[:before]
                    break
            else:
                if text[-1] not in _TRAILING_SEPARATORS:
                    return text
                text = text[:-1]  # one separator at a time: "co.," must keep the dot of "co."
    return text


def normalize_name(value: str | None) -> str | None:
    """Trimmed and lower-cased ("  Wang Fang " → "wang fang")."""
    if _missing(value):
        return None
    key = str(value).strip().lower()
    return key or None


# -- whole columns -----------------------------------------------------------------------------
def _by_distinct(series: pd.Series, function) -> pd.Series:
    """Apply `function` once per distinct value: keys repeat a lot, and missing stays None."""
    values = series.astype("object")
    present = values.notna()
    uniques = pd.unique(values[present])
    mapping = {v: function(v) for v in uniques}
    out = values.map(mapping).astype("object")
    out[~(present & out.notna())] = None
    return out


def email_series(series: pd.Series) -> pd.Series:
    return _by_distinct(series, normalize_email)


def name_series(series: pd.Series) -> pd.Series:
    return _by_distinct(series, normalize_name)


def phone_series(series: pd.Series) -> pd.Series:
    return _by_distinct(series, normalize_phone)


def company_series(series: pd.Series) -> pd.Series:
    return _by_distinct(series, normalize_company)
