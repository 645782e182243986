"""Renewal chains, due dates and grace (hand-computed)."""

from __future__ import annotations

import pytest

from b2bgrowth.revenue.drilldown import rows_behind
from tests.revenue.helpers import d, revenue, seed

ACCOUNTS = [{"account_id": a} for a in ("R1", "R2", "R3", "R4", "R5")]
SUBSCRIPTIONS = [
    # R1: two rows back to back = one chain, due Jul 1 (last mrr 120, ARR 1440); renewed Jul 20.
    ("s1", "R1", "X", 100, "2024-01-01", "2024-04-01"),
    ("s1", "R1", "X", 120, "2024-04-01", "2024-07-01"),
    ("s1b", "R1", "X", 130, "2024-07-20", None),
    # R2: due Jul 10 (ARR 2400), renewed 41 days late.
    ("s2", "R2", "X", 200, "2024-03-01", "2024-07-10"),
    ("s2b", "R2", "X", 200, "2024-08-20", None),
    # R3: due Jul 15 (ARR 600); a different product follows: not a renewal.
    ("s3", "R3", "X", 50, "2024-02-01", "2024-07-15"),
    ("s3y", "R3", "Y", 50, "2024-07-15", None),
    # R4: a trial (mrr 0) ending is not due.
    ("s4", "R4", "X", 0, "2024-06-01", "2024-07-05"),
    # R5: the same id after a gap is another chain; it renews the first one 9 days late.
    ("s5", "R5", "X", 100, "2024-01-01", "2024-07-01"),
    ("s5", "R5", "X", 100, "2024-07-10", None),
]


@pytest.fixture
def seeded(ws):
    seed(ws, ACCOUNTS, SUBSCRIPTIONS)
    return ws


def july(ws, **extra):
    (row,) = revenue(ws, "2024-07-01", "2024-07-31", **extra)
    return row


def test_due_and_renewed_with_default_grace(seeded):
    row = july(seeded)
    assert (row["renewals_due"], row["renewals_renewed"]) == (4, 2)  # R1, R5 renewed
    assert row["renewal_rate"] == 0.5
    assert row["renewal_rate_arr"] == pytest.approx((1440 + 1200) / (1440 + 2400 + 600 + 1200), abs=1e-6)


def test_late_renewal_counts_within_grace_and_not_outside(seeded):
    assert july(seeded, renewal_grace_days=40)["renewals_renewed"] == 2
    assert july(seeded, renewal_grace_days=41)["renewals_renewed"] == 3  # R2 on exactly due + 41
    row = july(seeded, renewal_grace_days=45)
    assert row["renewal_rate"] == 0.75
    assert row["renewal_rate_arr"] == pytest.approx(5040 / 5640, abs=1e-6)
    assert july(seeded, renewal_grace_days=0)["renewals_renewed"] == 0


def test_chains_are_due_in_the_period_of_their_last_end_date(seeded):
    rows = revenue(seeded, "2024-03-01", "2024-08-31")
    assert [r["renewals_due"] for r in rows] == [0, 0, 0, 0, 4, 0]  # s1's Apr 1 row continues the chain


def test_drilldown_lists_the_chains(seeded):
    due = rows_behind(seeded, "renewals_due", d("2024-07-01"), d("2024-07-31"))
    assert sorted((r["account_id"], r["date"], r["amount"]) for r in due) == [
        ("R1", "2024-07-01", 1440.0), ("R2", "2024-07-10", 2400.0), ("R3", "2024-07-15", 600.0),
        ("R5", "2024-07-01", 1200.0)]
    renewed = rows_behind(seeded, "renewals_renewed", d("2024-07-01"), d("2024-07-31"))
    assert sorted((r["account_id"], r["renewed_after_days"]) for r in renewed) == [("R1", 19), ("R5", 9)]
