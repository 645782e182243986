"""Invariants for random subscription histories (Hypothesis on the pure computation; one
store-backed run checks the same through the report)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bgrowth.reporting.periods import make_periods
from b2bgrowth.revenue.facts import NO_END, UNITS, chains_due_after, compute_chains, compute_movements, to_day
from b2bgrowth.revenue.metrics import period_metrics

ORIGIN = date(2024, 1, 1)
ADDITIVE = ("mrr_start", "new", "expansion", "contraction", "churn", "reactivation", "mrr_end", "arr", "customers",
            "new_customers", "churned_customers", "reactivated_customers", "renewals_due", "renewals_renewed")

row = st.tuples(
    st.sampled_from(["a1", "a2", "a3", "a4"]),            # account
    st.sampled_from(["X", "Y"]),                          # product
    st.sampled_from([0, 10, 25, 40, 99.5]),               # mrr (0 = trial)
    st.integers(0, 120),                                  # start offset in days
    st.one_of(st.none(), st.integers(1, 90)),             # length in days (None = ongoing)
)


def frame(rows) -> pd.DataFrame:
    records = []
    for i, (account, product, mrr, start, length) in enumerate(rows):
        end = NO_END if length is None else to_day(ORIGIN) + start + length
        records.append({"subscription_id": f"s{i % 5}-{account}", "account_id": account, "product": product,
                        "start": to_day(ORIGIN) + start, "end": end, "mrr": float(mrr), "currency": "CNY",
                        "units": round(mrr * UNITS)})
    df = pd.DataFrame.from_records(records)
    return df.drop_duplicates(["subscription_id", "start"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=12), kind=st.sampled_from(["day", "week", "month"]),
       first=st.integers(0, 60), span=st.integers(0, 150))
def test_movement_identity_and_segments_sum_to_total(rows, kind, first, span):
    data = frame(rows)
    movements, chains = compute_movements(data), compute_chains(data)
    periods = make_periods(kind, ORIGIN + timedelta(days=first), ORIGIN + timedelta(days=first + span))
    total = period_metrics(movements, chains, periods, None, 30)
    for r in total:
        assert r["mrr_start"] + r["new"] + r["expansion"] - r["contraction"] - r["churn"] + r["reactivation"] == \
            pytest.approx(r["mrr_end"], abs=1e-6)
        assert r["mrr_end"] >= 0 and r["customers"] >= 0
        for ratio in ("grr", "logo_churn_rate"):
            assert r[ratio] is None or 0 <= r[ratio] <= 1
    # Daily MRR by brute force agrees with mrr_end of every period.
    for r in total:
        day = to_day(date.fromisoformat(r["period_end"]))
        active = data[(data["start"] <= day) & (day < data["end"])]
        assert r["mrr_end"] == pytest.approx(active["units"].sum() / UNITS, abs=1e-6)
    segment_of = {"a1": "north", "a2": "south", "a3": None, "a4": "north"}
    segmented = period_metrics(movements, chains, periods, segment_of, 30)
    for whole in total:
        parts = [r for r in segmented if r["period_start"] == whole["period_start"]]
        for field in ADDITIVE:
            assert sum(p[field] for p in parts) == pytest.approx(whole[field], abs=1e-6), field


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=0, max_size=14), at=st.integers(-5, 220),
       horizon=st.one_of(st.none(), st.integers(0, 120)))
def test_chains_due_after_is_compute_chains_filtered(rows, at, horizon):
    """The shortcut the churn model and the signals use equals the Foundation's chains, row for row."""
    data = frame(rows) if rows else frame([("a1", "X", 10, 0, 5)]).iloc[0:0]
    day = to_day(ORIGIN) + at
    chains = compute_chains(data[data["start"] <= day])
    keep = chains["due_day"] > day
    if horizon is not None:
        keep &= chains["due_day"] <= day + horizon
    expected = chains.loc[keep, ["account_id", "subscription_id", "product", "due_day", "units"]].reset_index(drop=True)
    got = chains_due_after(data, day, horizon)
    assert got.to_dict("records") == expected.to_dict("records")
