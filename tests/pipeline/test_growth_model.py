"""Growth-model thresholds and the per-segment diagnosis (both stores)."""

from __future__ import annotations

import pytest

from b2bgrowth.pipeline.growth_model import classify
from tests.channels.helpers import d, dt, put


@pytest.mark.parametrize("acv, cycle, model, exact", [
    (5_000, 2, "hacker", True), (9_999, 3, "hacker", True),
    (10_000, 3, "r2r", True), (50_000, 30, "r2r", True), (100_000, 56, "r2r", True),
    (300_000, 10, "missile", True), (50_000, 90, "missile", True), (5_000, 120, "missile", True),
    # 150,000 over 30 days: log10(150k/100k)=0.18 from R2R, log10(300k/150k)=0.30 from missile → R2R
    (150_000, 30, "r2r", False),
    # 5,000 over 20 days: hacker is log10(21/4)=0.72 away in cycle, R2R log10(10k/5k)=0.30 in ACV → R2R
    (5_000, 20, "r2r", False),
    # 200,000 over 80 days: R2R √(0.30² + log10(81/57)²=0.15²)=0.34; missile min(0.18, log10(91/81)=0.05) → missile
    (200_000, 80, "missile", False),
])
def test_thresholds(acv, cycle, model, exact):
    got, is_exact, note = classify(acv, cycle)
    assert (got, is_exact) == (model, exact)
    assert (note is None) == exact
    if note:
        assert set(note) == {"en", "zh_CN"}


def test_diagnosis_per_tier(ws):
    put(ws, "Account", {"account_id": "K1", "name": "k", "tier": "KA"},
        {"account_id": "S1", "name": "s1", "tier": "SMB"}, {"account_id": "S2", "name": "s2", "tier": "SMB"})
    put(ws, "Opportunity",
        {"opportunity_id": "K", "account_id": "K1", "status": "won", "amount": 400000.0,
         "created_at": dt("2025-01-01 09:00"), "close_date": d("2025-05-01")},
        {"opportunity_id": "S1a", "account_id": "S1", "status": "won", "amount": 5000.0,
         "created_at": dt("2025-01-01 09:00"), "close_date": d("2025-01-02")},      # 1 day
        {"opportunity_id": "S1b", "account_id": "S1", "status": "won", "amount": 99000.0,
         "created_at": dt("2026-03-01 09:00"), "close_date": d("2026-03-04")},      # > 1 year after: not first-year
        {"opportunity_id": "S2a", "account_id": "S2", "status": "won", "amount": 7000.0,
         "created_at": dt("2025-02-01 09:00"), "close_date": d("2025-02-04")},      # 3 days
        {"opportunity_id": "S2x", "account_id": "S2", "status": "lost", "amount": 1e6,
         "created_at": dt("2025-02-01 09:00"), "close_date": d("2025-09-04")})
    rows = {r["segment"]: r for r in ws.report("growth-model")["segments"]}
    assert rows["KA"]["model"] == "missile" and rows["KA"]["acv_median"] == 400000.0
    smb = rows["SMB"]
    # ACV: S1 5000 (S1b is in its second year), S2 7000 → median 6000; cycles 1, 3, 3 → median 3
    assert (smb["acv_median"], smb["cycle_days_median"], smb["model"], smb["exact"]) == (6000.0, 3.0, "hacker", True)
    assert smb["accounts"] == 2
    assert "五人" in smb["calls_for"]["zh_CN"]["team"] and "five" in smb["calls_for"]["en"]["team"]
