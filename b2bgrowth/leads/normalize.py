"""The keys de-duplication matches on (issue 3, item 2), exactly as the issue words them.

Each rule is written once, as Arrow compute over a whole column (`*_keys(array)`), so a million
leads normalise in C++; the one-value functions (`normalize_email(s)` …) run the same code on
a column of one, so both always agree. A key of None means "nothing to match on": an empty
key must never make two strangers the same person.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Trailing legal suffixes, removed repeatedly ("X 集团 股份有限公司" → "X"). Compared after NFKC and
# lower-casing, so full-width （中国） arrives as (中国) and "LTD." as "ltd.". "Co., Ltd." goes as
# "ltd." then "co.". Latin suffixes count only as whole words: preceded by the start or by a
# character that is not a letter or digit ("Zinc" keeps its "inc"; that boundary character is
# punctuation, dropped at the end anyway). Spaces, commas, dots and semicolons between suffixes
# go with them ("Acme, Inc." → "acme"). Chinese suffixes need no boundary (no spaces in Chinese).
CHINESE_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "集团", "(中国)", "（中国）")
LATIN_SUFFIXES = ("co.", "ltd.", "ltd", "inc", "llc", "corp", "corporation", "company")


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in r".()[]{}|*+?^$\\" else ch for ch in text)


_SUFFIX_TAIL = (
    r"(?:[ \t\n,.;]|" + "|".join(_escape(s) for s in CHINESE_SUFFIXES)
    + r"|(?:^|[^\p{L}\p{N}])(?:" + "|".join(_escape(s) for s in sorted(LATIN_SUFFIXES, key=len, reverse=True))
    + r"))+$"
)
_NOT_LETTER_OR_DIGIT = r"[^\p{L}\p{N}]+"  # spaces and punctuation (ASCII and CJK) and symbols


def _strings(values) -> pa.Array:
    """Any column (pandas, list, Arrow) as an Arrow string array; NaN and None become null."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if pa.types.is_string(values.type) or pa.types.is_large_string(values.type) else pc.cast(values, pa.string())
    series = pd.Series(values, dtype="object") if not isinstance(values, pd.Series) else values
    if isinstance(series.dtype, pd.ArrowDtype) or str(series.dtype).startswith("string"):
        return _strings(pa.array(series))
    try:  # from_pandas: NaN and None are null
        return pa.array(series.astype("object"), type=pa.string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers typed into a text column
        return pa.array([None if v is None or v != v else str(v) for v in series], type=pa.string())


def _empty_is_null(arr: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(pc.utf8_length(arr), 0), pa.scalar(None, arr.type), arr)


def email_keys(values) -> pa.Array:
    """Trimmed and lower-cased."""
    return _empty_is_null(pc.utf8_lower(pc.utf8_trim_whitespace(_strings(values))))


name_keys = email_keys  # the same rule: trimmed, lower-case


def phone_keys(values) -> pa.Array:
    """Digits only (0–9); a leading 0086, or 86 on a 13-digit number, removed."""
    digits = pc.replace_substring_regex(_strings(values), "[^0-9]+", "")
    with_0086 = pc.starts_with(digits, "0086")
    digits = pc.if_else(with_0086, pc.utf8_slice_codeunits(digits, 4), digits)
    with_86 = pc.and_(pc.and_(pc.equal(pc.utf8_length(digits), 13), pc.starts_with(digits, "86")), pc.invert(with_0086))
    digits = pc.if_else(with_86, pc.utf8_slice_codeunits(digits, 2), digits)
    return _empty_is_null(digits)


def company_keys(values) -> pa.Array:
    """NFKC, lower-case, trailing legal suffixes removed repeatedly, then spaces and punctuation dropped."""
    text = pc.utf8_lower(pc.utf8_normalize(_strings(values), "NFKC"))
    text = pc.replace_substring_regex(text, _SUFFIX_TAIL, "")
    return _empty_is_null(pc.replace_substring_regex(text, _NOT_LETTER_OR_DIGIT, ""))


def _one(function, value) -> str | None:
    return function([value])[0].as_py()


def normalize_email(value: str | None) -> str | None:
    """"  Li.Wei@Example.COM " → "li.wei@example.com"."""
    return _one(email_keys, value)


def normalize_phone(value: str | None) -> str | None:
    """"+86 138-0013-8000" → digits 8613800138000 (13, leading 86) → "13800138000";
    "0086 13800138000" → "13800138000"; "010-6552 9988" → "01065529988"."""
    return _one(phone_keys, value)


def normalize_company(value: str | None) -> str | None:
    """"北京数联信息技术 (中国) 有限公司" → "北京数联信息技术"; "Acme Co., Ltd." → "acme"."""
    return _one(company_keys, value)


def normalize_name(value: str | None) -> str | None:
    """"  Wang Fang " → "wang fang"."""
    return _one(name_keys, value)


# pandas in, pandas out (object dtype, None for no key): for callers that work in pandas.
def _series(function, series: pd.Series) -> pd.Series:
    out = pd.Series(function(series).to_pylist(), index=series.index, dtype="object")
    return out


def email_series(series: pd.Series) -> pd.Series:
    return _series(email_keys, series)


def name_series(series: pd.Series) -> pd.Series:
    return _series(name_keys, series)


def phone_series(series: pd.Series) -> pd.Series:
    return _series(phone_keys, series)


def company_series(series: pd.Series) -> pd.Series:
    return _series(company_keys, series)
