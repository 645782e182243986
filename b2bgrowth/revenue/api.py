"""The revenue capability's public surface: what other capabilities may use of it.

Another capability imports only this module and `b2bgrowth.revenue.models` (the tables, for
reading); everything else in the package is internal and may change without notice
(pyproject.toml's import contracts check it).

- money: the one conversion into the reporting currency (exchange_rates);
- subscription facts: rows as day numbers and money units, contract chains and their due days;
- per-account figures: MRR / ARR today (the accounts list, the tier rule), an account's movements;
- the report parameters other capabilities' reports share (a date range cut into periods).
"""

from __future__ import annotations

from b2bgrowth.revenue.currency import MissingRate, convert, load_rates, rate_for, rates_in
from b2bgrowth.revenue.facts import (
    UNITS,
    chains_due_after,
    compute_chains,
    data_range,
    day_number_sql,
    from_day,
    load_subscription_rows,
    to_day,
)
from b2bgrowth.revenue.history import account_movements, current_arr, current_mrr
from b2bgrowth.revenue.reports import PeriodName, PeriodParams

__all__ = [
    "MissingRate", "convert", "load_rates", "rate_for", "rates_in",
    "UNITS", "chains_due_after", "compute_chains", "data_range", "day_number_sql", "from_day",
    "load_subscription_rows", "to_day",
    "account_movements", "current_arr", "current_mrr",
    "PeriodName", "PeriodParams",
]
