"""Values out of reports and frames, cleaned once: for JSON (`jsonable`) and for pages (`plain`).

Reports return Python data that may still hold what pandas and numpy produce: NaN, NaT, pd.NA,
numpy scalars and arrays, Timestamps. JSON has no NaN, and templates want `None` for a missing
value. Every place that cleans such values goes through this module:

- `is_missing(v)`  — None, NaN (float, numpy, Decimal), NaT (pandas, numpy) or pd.NA; never raises
  (a list, dict or string is not missing). ±inf is *not* missing, just not finite.
- `plain(v)`       — one scalar as plain Python for pages and report rows: numpy scalars → int /
  float / bool / str, missing and ±inf → None, Timestamp / datetime64 → datetime; dates stay dates.
- `jsonable(v)`    — a whole structure for JSON: `plain` on every scalar, then dates and datetimes
  → ISO strings, Decimal → float (money is a JSON number, as the report API has always written
  it; a Decimal too large for a float becomes None like ±inf), tuples, sets and numpy arrays →
  lists, dict keys → str. The result passes `json.dumps(…, allow_nan=False)` and
  `jsonable(jsonable(v)) == jsonable(v)`. Timedeltas are left as they are (no report returns one).

Core module: no web imports; the report API (web/api.py), JSON routes and report rows use it.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["is_missing", "jsonable", "plain"]


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA; False for anything else (never raises)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    if isinstance(value, Decimal):
        return value.is_nan()
    return False


def plain(value: Any) -> Any:
    """A numpy / pandas scalar as a plain Python value; missing and ±inf → None.

    Dates, datetimes and strings are kept (Timestamps become datetimes); containers pass
    through unchanged (use `jsonable` for structures).
    """
    if isinstance(value, np.generic):
        if isinstance(value, np.datetime64):
            return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
        if isinstance(value, np.timedelta64):
            return None if np.isnat(value) else pd.Timedelta(value).to_pytimedelta()
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return value


def jsonable(value: Any) -> Any:
    """`value` as JSON-able data (see the module docstring for every rule)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OMm":  # objects and datetimes: element by element
            return [jsonable(v) for v in value]
        return jsonable(value.tolist())
    value = plain(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return value
