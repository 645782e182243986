"""Segments: by column (with the null segment), by custom attribute, and errors."""

from __future__ import annotations

import pytest

from b2bgrowth.accounts.models import Account
from b2bgrowth.revenue.drilldown import rows_behind
from tests.revenue.helpers import d, revenue, seed_example


def test_segment_by_region_includes_accounts_missing_it_as_null(ws):
    seed_example(ws)
    rows = [r for r in revenue(ws, "2024-02-01", "2024-02-29", segment="region")]
    assert [r["segment"] for r in rows] == ["east", "west", None]
    east, west, none = rows
    assert (east["mrr_start"], east["expansion"], east["churn"], east["mrr_end"]) == (300.0, 50.0, 200.0, 150.0)
    assert east["nrr"] == 0.5 and east["grr"] == pytest.approx(1 / 3, abs=1e-6) and east["logo_churn_rate"] == 0.5
    assert (west["mrr_start"], west["new"], west["reactivation"], west["mrr_end"], west["customers"]) == (0.0, 100.0, 120.0, 220.0, 2)
    assert west["nrr"] is None
    assert (none["mrr_start"], none["contraction"], none["mrr_end"], none["nrr"], none["grr"]) == (300.0, 60.0, 240.0, 0.8, 0.8)


def test_segment_by_custom_attribute(ws):
    seed_example(ws)
    with ws.store.write(touched=["accounts"]) as session:
        session.get(Account, "A").attributes = {"partner": "P1"}
        session.get(Account, "B").attributes = {"partner": "P2"}
        session.get(Account, "D").attributes = {"partner": "P1"}
    rows = revenue(ws, "2024-02-01", "2024-02-29", segment="partner")
    by = {r["segment"]: r for r in rows}
    assert set(by) == {"P1", "P2", None}
    assert by["P1"]["mrr_end"] == 250.0 and by["P2"]["churn"] == 200.0 and by["P2"]["customers"] == 0
    assert by[None]["mrr_end"] == 360.0  # C 240 + E 120


def test_unknown_segment_names_the_attribute(ws):
    seed_example(ws)
    with pytest.raises(ValueError, match="segment: no account attribute named 'colour'"):
        revenue(ws, "2024-02-01", "2024-02-29", segment="colour")


def test_drilldown_of_a_segment(ws):
    seed_example(ws)
    rows = rows_behind(ws, "mrr_start", d("2024-02-01"), d("2024-02-29"), segment_by="region", segment="east")
    assert [(r["account_id"], r["amount"]) for r in rows] == [("B", 200.0), ("A", 100.0)]
    missing = rows_behind(ws, "contraction", d("2024-02-01"), d("2024-02-29"), segment_by="region", segment=None)
    assert [(r["account_id"], r["date"], r["amount"], r["account_name"]) for r in missing] == [("C", "2024-02-01", 60.0, "C")]
    everyone = rows_behind(ws, "customers", d("2024-02-01"), d("2024-02-29"))
    assert sorted(r["account_id"] for r in everyone) == ["A", "C", "D", "E"]
    with pytest.raises(ValueError, match="metric: unknown metric 'profit'"):
        rows_behind(ws, "profit", d("2024-02-01"), d("2024-02-29"))
