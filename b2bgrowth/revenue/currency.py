"""Conversion of money into the reporting currency with the exchange_rates table — the one
conversion every figure in the product uses (revenue reports, pipeline, channels, tiers, the
account page, experiments).

A rate is how many units of the reporting currency one unit of the currency is worth
(USD 7.2 when reporting in CNY). Amounts in the reporting currency (or without a currency)
need no rate. A currency without a rate either fails with MissingRate naming the row
(reports: a figure must not be guessed) or, with missing="omit", leaves the row out (NaN):
the account figures and the tier rule, which must not fail on one odd row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select

from b2bgrowth.revenue.models import ExchangeRate

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


class MissingRate(ValueError):
    """A currency is used but has no rate to the reporting currency."""


def rates_in(session, reporting: str) -> dict[str, float]:
    """currency → rate, read with an open session (the reporting currency is 1)."""
    rates = {c.upper(): float(r) for c, r in session.execute(select(ExchangeRate.currency, ExchangeRate.rate))}
    rates[reporting.upper()] = 1.0
    return rates


def load_rates(ws: Workspace) -> dict[str, float]:
    with ws.store.read() as session:
        return rates_in(session, ws.settings.reporting_currency)


def rate_for(rates: dict[str, float], currency: str | None, reporting: str, where: str) -> float:
    code = (currency or reporting).upper()
    try:
        return rates[code]
    except KeyError:
        raise MissingRate(
            f"no exchange rate for {code} (used by {where}): add a row currency={code}, "
            f"rate=<{reporting.upper()} per 1 {code}> to exchange_rates"
        ) from None


def convert(amounts: Sequence, currencies: Sequence, rates: dict[str, float], reporting: str, *,
            missing: str = "raise", where: Callable[[int], str] | None = None):
    """amount × rate of its currency, per row, as a float array (a float for scalar inputs).

    A row without a currency is in the reporting currency. For a currency without a rate:
    missing="raise" raises MissingRate naming `where(i)` of its first row (default "row i");
    missing="omit" gives NaN for the row, so a sum that skips NaN leaves it out.
    """
    import pandas as pd

    if missing not in ("raise", "omit"):
        raise ValueError(f"missing must be 'raise' or 'omit', not {missing!r}")
    scalar = np.ndim(amounts) == 0
    values = np.atleast_1d(np.asarray(amounts, dtype="float64"))
    codes = pd.Series(np.atleast_1d(np.asarray(currencies, dtype=object))).fillna("").astype(str).str.upper()
    codes = codes.mask(codes == "", reporting.upper())
    factors = {}
    for code in codes.unique():
        if code in rates:
            factors[code] = rates[code]
        elif missing == "omit":
            factors[code] = np.nan
        else:
            first = int(np.flatnonzero((codes == code).to_numpy())[0])
            rate_for(rates, code, reporting, where(first) if where else f"row {first}")
    out = values * codes.map(factors).to_numpy(dtype="float64")
    return float(out[0]) if scalar else out
