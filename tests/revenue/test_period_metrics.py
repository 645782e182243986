"""Period metrics on the worked example of docs/metrics.md (numbers computed by hand there)."""

from __future__ import annotations

import pytest

from tests.revenue.helpers import revenue, seed_example


def test_february_of_the_worked_example(ws):
    seed_example(ws)
    jan, feb, mar = revenue(ws, "2024-01-01", "2024-03-31")
    assert {k: feb[k] for k in ("period_start", "period_end", "segment")} == {
        "period_start": "2024-02-01", "period_end": "2024-02-29", "segment": "all"}
    assert (feb["mrr_start"], feb["new"], feb["expansion"], feb["contraction"], feb["churn"],
            feb["reactivation"], feb["mrr_end"]) == (600.0, 100.0, 50.0, 60.0, 200.0, 120.0, 610.0)
    assert feb["arr"] == 7320.0
    assert (feb["customers"], feb["new_customers"], feb["churned_customers"], feb["reactivated_customers"]) == (4, 1, 1, 1)
    assert feb["arpa"] == 152.5
    assert feb["nrr"] == pytest.approx(390 / 600, abs=1e-6)          # A 150 + B 0 + C 240
    assert feb["grr"] == pytest.approx(340 / 600, abs=1e-6)          # min: A 100 + B 0 + C 240
    assert feb["logo_churn_rate"] == pytest.approx(1 / 3, abs=1e-6)   # B of A, B, C
    assert feb["revenue_churn_rate"] == pytest.approx(260 / 600, abs=1e-6)
    assert feb["quick_ratio"] == pytest.approx(270 / 260, abs=1e-6)
    assert (feb["renewals_due"], feb["renewals_renewed"], feb["renewal_rate"], feb["renewal_rate_arr"]) == (1, 0, 0.0, 0.0)


def test_a_quiet_month_has_full_retention_and_null_undefined_ratios(ws):
    seed_example(ws)
    jan = revenue(ws, "2024-01-01", "2024-01-31")[0]
    assert jan["mrr_start"] == jan["mrr_end"] == 600.0
    assert (jan["nrr"], jan["grr"], jan["logo_churn_rate"], jan["revenue_churn_rate"]) == (1.0, 1.0, 0.0, 0.0)
    assert jan["quick_ratio"] is None  # nothing lost: (0 + 0 + 0) / 0
    assert jan["renewal_rate"] is None and jan["renewal_rate_arr"] is None  # nothing due


def test_ratios_over_an_empty_start_are_null(ws):
    seed_example(ws)
    before = revenue(ws, "2023-01-01", "2023-01-31")[0]
    assert before["mrr_start"] == before["mrr_end"] == 0.0 and before["customers"] == 0
    assert all(before[k] is None for k in ("arpa", "nrr", "grr", "logo_churn_rate", "revenue_churn_rate", "quick_ratio"))


def test_boundaries_movement_on_first_day_is_in_the_period_not_in_mrr_start(ws):
    seed_example(ws)
    (day,) = revenue(ws, "2024-02-05", "2024-02-05", period="day")  # D starts 100 on Feb 5
    assert (day["mrr_start"], day["new"], day["mrr_end"]) == (540.0, 100.0, 640.0)  # A 100 + B 200 + C 240 (+ D)
    # B churns on Feb 15: its 200 is still in MRR at the end of Feb 14 (A 150, B 200, C 240, D 100).
    (before_churn,) = revenue(ws, "2024-02-14", "2024-02-14", period="day")
    assert before_churn["mrr_end"] == 690.0 and before_churn["churn"] == 0.0


def test_the_movement_identity_holds_for_every_week(ws):
    seed_example(ws)
    for row in revenue(ws, "2023-05-20", "2024-03-10", period="week"):
        assert row["mrr_start"] + row["new"] + row["expansion"] - row["contraction"] - row["churn"] + \
            row["reactivation"] == pytest.approx(row["mrr_end"])


def test_periods_are_clipped_to_from_and_to(ws):
    seed_example(ws)
    rows = revenue(ws, "2024-01-10", "2024-03-05", period="month")
    assert [(r["period_start"], r["period_end"]) for r in rows] == [
        ("2024-01-10", "2024-01-31"), ("2024-02-01", "2024-02-29"), ("2024-03-01", "2024-03-05")]


def test_reversed_range_is_refused(ws):
    with pytest.raises(ValueError, match="from .2024-03-01. is after to"):
        revenue(ws, "2024-03-01", "2024-01-01")
