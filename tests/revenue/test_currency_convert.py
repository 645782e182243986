"""The one currency conversion (b2bgrowth.revenue.currency.convert), hand-computed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from b2bgrowth.revenue.currency import MissingRate, convert

RATES = {"CNY": 1.0, "USD": 7.0, "EUR": 7.8}


def test_amounts_times_their_rate():
    out = convert([100, 50, 10, 3], ["USD", "cny", None, "EUR"], RATES, "CNY")
    assert list(out) == [700.0, 50.0, 10.0, pytest.approx(23.4)]
    assert convert(2.5, "usd", RATES, "CNY") == 17.5  # scalars stay scalars
    assert convert(4, "", RATES, "CNY") == 4.0  # no currency = the reporting currency


def test_a_missing_rate_names_the_row_or_is_left_out():
    ids = ["s1", "s2", "s3"]
    with pytest.raises(MissingRate, match="no exchange rate for JPY \\(used by subscription s2\\)"):
        convert([1, 2, 3], ["CNY", "JPY", "JPY"], RATES, "CNY", where=lambda i: f"subscription {ids[i]}")
    out = convert([1, 2, 3], ["CNY", "JPY", "USD"], RATES, "CNY", missing="omit")
    assert out[0] == 1 and math.isnan(out[1]) and out[2] == 21
    assert np.nansum(out) == 22
    with pytest.raises(ValueError):
        convert([1], ["CNY"], RATES, "CNY", missing="guess")


def test_current_mrr_and_tiers_arr_use_it(ws):
    """revenue.history.current_mrr (accounts list and page) and the tier rule's ARR: rows paying
    today, converted; a currency without a rate is left out, not guessed."""
    from datetime import date

    from b2bgrowth.accounts.models import Account
    from b2bgrowth.revenue.history import current_arr, current_mrr
    from b2bgrowth.revenue.models import ExchangeRate, Subscription

    with ws.store.write(touched=["accounts", "subscriptions", "exchange_rates"]) as s:
        s.add_all([Account(account_id="M1", name="M1"), Account(account_id="M2", name="M2")])
        s.flush()
        s.add(ExchangeRate(currency="USD", rate=7.0))
        s.add_all([
            Subscription(subscription_id="m1", account_id="M1", mrr=100, currency="USD", start_date=date(2024, 1, 1)),
            Subscription(subscription_id="m2", account_id="M1", mrr=50, currency="CNY", start_date=date(2024, 1, 1)),
            Subscription(subscription_id="m3", account_id="M1", mrr=9, currency="JPY", start_date=date(2024, 1, 1)),
            Subscription(subscription_id="m4", account_id="M2", mrr=80, currency="CNY", start_date=date(2024, 1, 1),
                         end_date=date(2024, 6, 1)),
        ])
    assert current_mrr(ws, date(2024, 3, 1)) == {"M1": 750.0, "M2": 80.0}  # 100 × 7 + 50; JPY left out
    assert current_mrr(ws, date(2024, 6, 1), account_id="M1") == {"M1": 750.0}
    assert current_mrr(ws, date(2024, 6, 1)).get("M2") is None  # ended: end is exclusive
    with ws.store.read() as session:
        assert current_arr(session, "CNY", date(2024, 3, 1)) == {"M1": 9000.0, "M2": 960.0}
