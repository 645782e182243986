"""Movement rules of item 5, each with a hand-computed history (both stores)."""

from __future__ import annotations

import pytest

from b2bgrowth.revenue.history import account_movements, account_mrr_history
from tests.revenue.helpers import revenue, seed


def kinds(ws, account_id):
    return [(m["date"], m["kind"], m["amount"], m["mrr_before"], m["mrr_after"]) for m in account_movements(ws, account_id)]


def test_first_payment_is_new_and_later_ones_are_reactivations(ws):
    seed(ws, [{"account_id": "E"}], [
        ("e1", "E", "X", 80, "2023-06-01", "2023-09-01"),
        ("e2", "E", "X", 120, "2024-02-20", "2024-03-01"),
        ("e3", "E", "X", 90, "2024-05-01", None),
    ])
    assert kinds(ws, "E") == [
        ("2023-06-01", "new", 80.0, 0.0, 80.0), ("2023-09-01", "churn", 80.0, 80.0, 0.0),
        ("2024-02-20", "reactivation", 120.0, 0.0, 120.0), ("2024-03-01", "churn", 120.0, 120.0, 0.0),
        ("2024-05-01", "reactivation", 90.0, 0.0, 90.0),
    ]


def test_several_changes_on_one_day_net_to_one_movement(ws):
    # On Mar 1: X 100 -> 120 (new row of the same id) and Y 50 ends: net -30 = one contraction.
    # On Apr 1 a row ends and an identical one starts: no movement at all.
    seed(ws, [{"account_id": "F"}], [
        ("fx", "F", "X", 100, "2024-01-01", "2024-03-01"),
        ("fx", "F", "X", 120, "2024-03-01", "2024-04-01"),
        ("fx", "F", "X", 120, "2024-04-01", None),
        ("fy", "F", "Y", 50, "2024-01-01", "2024-03-01"),
    ])
    assert kinds(ws, "F") == [("2024-01-01", "new", 150.0, 0.0, 150.0),
                              ("2024-03-01", "contraction", 30.0, 150.0, 120.0)]
    assert account_mrr_history(ws, "F") == [{"date": "2024-01-01", "mrr": 150.0}, {"date": "2024-03-01", "mrr": 120.0}]


def test_cancelling_one_of_two_products_is_contraction_then_the_last_is_churn(ws):
    seed(ws, [{"account_id": "G"}], [
        ("gx", "G", "X", 100, "2024-01-01", "2024-03-01"),
        ("gy", "G", "Y", 50, "2024-01-01", "2024-02-01"),
    ])
    assert kinds(ws, "G") == [("2024-01-01", "new", 150.0, 0.0, 150.0),
                              ("2024-02-01", "contraction", 50.0, 150.0, 100.0),
                              ("2024-03-01", "churn", 100.0, 100.0, 0.0)]


def test_trials_with_mrr_zero_are_not_paying(ws):
    seed(ws, [{"account_id": "H"}, {"account_id": "T"}], [
        ("h0", "H", "X", 0, "2024-01-01", "2024-01-15"),
        ("h1", "H", "X", 100, "2024-01-15", None),
        ("t0", "T", "X", 0, "2024-01-01", None),  # a trial that never converts
    ])
    assert kinds(ws, "H") == [("2024-01-15", "new", 100.0, 0.0, 100.0)]
    assert kinds(ws, "T") == []
    days = revenue(ws, "2024-01-01", "2024-01-15", period="day")
    assert [r["customers"] for r in days][:2] == [0, 0]
    assert days[-1]["new_customers"] == 1 and days[-1]["customers"] == 1
    assert sum(r["new_customers"] for r in days) == 1


def test_foreign_currency_is_converted_with_the_rates_table(ws):
    seed(ws, [{"account_id": "U"}], [("u1", "U", "X", 10, "2024-01-01", None, "USD"),
                                      ("u2", "U", "Y", 30, "2024-01-01", None, "CNY")], rates={"USD": 7.2})
    jan = revenue(ws, "2024-01-01", "2024-01-31")[0]
    assert jan["new"] == 102.0 and jan["mrr_end"] == 102.0 and jan["arr"] == 1224.0


def test_a_missing_rate_is_a_clear_error_naming_the_currency(ws):
    seed(ws, [{"account_id": "U"}], [("u1", "U", "X", 10, "2024-01-01", None, "EUR")])
    with pytest.raises(ValueError, match=r"no exchange rate for EUR .*subscription u1"):
        revenue(ws, "2024-01-01", "2024-01-31")
