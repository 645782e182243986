"""Call cadence: buckets, sizes, Wilson intervals against the hand formula (both stores)."""

from __future__ import annotations

import math

import pytest

from b2bgrowth.pipeline.cadence import bucket_of, size_of
from tests.channels.helpers import d, dt, put


def test_buckets_and_sizes():
    got = {n: bucket_of(n) for n in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 40)}
    assert got == {0: "0", 1: "1-2", 2: "1-2", 3: "3-4", 4: "3-4", 5: "5-6", 6: "5-6", 7: "7-8", 8: "7-8",
                   9: "9-12", 12: "9-12", 13: "13+", 40: "13+"}
    assert [size_of(e) for e in (1, 49, 50, 499, 500, None)] == ["small", "small", "mid", "mid", "large", None]


def wilson_by_hand(won: int, n: int, z: float = 1.959963984540054):
    p = won / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def seed(ws):
    leads, opps, touches = [], [], []
    for i in range(1, 6):  # five small deals with 5 calls each before close; C1..C3 won
        leads.append({"lead_id": f"LC{i}", "created_at": dt("2026-01-01 09:00"), "status": "customer", "employees": 20})
        opps.append({"opportunity_id": f"C{i}", "lead_id": f"LC{i}", "status": "won" if i <= 3 else "lost",
                     "amount": 100.0, "created_at": dt("2026-01-02 09:00"), "close_date": d("2026-02-01")})
        touches += [{"touch_id": f"T{i}-{k}", "at": dt(f"2026-01-{10 + k} 10:00"), "kind": "call", "lead_id": f"LC{i}"}
                    for k in range(5)]
        touches.append({"touch_id": f"T{i}-late", "at": dt("2026-02-02 10:00"), "kind": "call", "lead_id": f"LC{i}"})
        touches.append({"touch_id": f"T{i}-mail", "at": dt("2026-01-20 10:00"), "kind": "email", "lead_id": f"LC{i}"})
    leads.append({"lead_id": "LD", "created_at": dt("2026-01-01 09:00"), "status": "new", "employees": 10})
    opps.append({"opportunity_id": "D1", "lead_id": "LD", "status": "lost", "amount": 50.0,
                 "created_at": dt("2026-01-02 09:00"), "close_date": d("2026-02-01")})
    # a large account: 11 calls on the account only + 1 on the lead and account (counted once) = 12
    put(ws, "Account", {"account_id": "BIG", "name": "big", "employees": 800})
    leads.append({"lead_id": "LE", "created_at": dt("2026-01-01 09:00"), "status": "customer"})
    opps.append({"opportunity_id": "E1", "lead_id": "LE", "account_id": "BIG", "status": "won", "amount": 9000.0,
                 "created_at": dt("2026-01-02 09:00"), "close_date": d("2026-03-01")})
    touches += [{"touch_id": f"TB{k}", "at": dt("2026-01-15 10:00"), "kind": "call", "account_id": "BIG"} for k in range(11)]
    touches.append({"touch_id": "TB-both", "at": dt("2026-01-16 10:00"), "kind": "call", "account_id": "BIG",
                    "lead_id": "LE"})
    put(ws, "Lead", *leads)
    put(ws, "Opportunity", *opps)
    put(ws, "Touch", *touches)


def test_cells_wilson_and_best_bucket(ws):
    seed(ws)
    r = ws.report("call-cadence")
    cells = {(c["size"], c["bucket"]): c for c in r["cells"]}
    assert len(cells) == 21  # 3 sizes × 7 buckets
    small = cells[("small", "5-6")]
    assert (small["closed"], small["won"], small["win_rate"], small["revenue"]) == (5, 3, 0.6, 300.0)
    low, high = wilson_by_hand(3, 5)  # ≈ (0.2307, 0.8824)
    assert small["ci_low"] == pytest.approx(low, abs=1e-9) and small["ci_high"] == pytest.approx(high, abs=1e-9)
    assert small["ci_low"] == pytest.approx(0.2307, abs=1e-4) and small["ci_high"] == pytest.approx(0.8824, abs=1e-4)
    zero = cells[("small", "0")]
    assert (zero["closed"], zero["won"], zero["ci_low"]) == (1, 0, 0.0)
    assert cells[("large", "9-12")]["won"] == 1 and cells[("large", "13+")]["closed"] == 0
    assert cells[("mid", "5-6")]["win_rate"] is None and cells[("mid", "5-6")]["ci_low"] is None
    best = {b["size"]: b for b in r["best"]}
    assert best["small"]["bucket"] == "5-6" and best["small"]["seed_calls"] == 5
    assert best["large"]["bucket"] == "9-12" and best["mid"]["bucket"] is None
    assert r["seeds"] == {"small": 5, "mid": 8, "large": 12}


def test_close_window(ws):
    seed(ws)
    r = ws.report("call-cadence", **{"from": "2026-02-15", "to": "2026-03-31"})
    assert sum(c["closed"] for c in r["cells"]) == 1  # only E1 closed on Mar 1
