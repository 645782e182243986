"""Conversion of money into the reporting currency with the exchange_rates table.

A rate is how many units of the reporting currency one unit of the currency is worth
(USD 7.2 when reporting in CNY). Amounts in the reporting currency need no rate.
"""

from __future__ import annotations

from sqlalchemy import select

from b2bgrowth.revenue.models import ExchangeRate


class MissingRate(ValueError):
    """A currency is used but has no rate to the reporting currency."""


def load_rates(ws) -> dict[str, float]:
    with ws.store.read() as session:
        rates = {c.upper(): float(r) for c, r in session.execute(select(ExchangeRate.currency, ExchangeRate.rate))}
    rates[ws.settings.reporting_currency.upper()] = 1.0
    return rates


def rate_for(rates: dict[str, float], currency: str | None, reporting: str, where: str) -> float:
    code = (currency or reporting).upper()
    try:
        return rates[code]
    except KeyError:
        raise MissingRate(
            f"no exchange rate for {code} (used by {where}): add a row currency={code}, "
            f"rate=<{reporting.upper()} per 1 {code}> to exchange_rates"
        ) from None
