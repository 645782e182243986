"""NPS arithmetic, period edges and segments (hand-computed)."""

from __future__ import annotations

from datetime import datetime

from b2bgrowth.accounts.models import Account
from b2bgrowth.voc.models import NpsResponse


def seed_responses(ws):
    with ws.store.write(touched=["accounts", "nps_responses"]) as session:
        session.add_all([Account(account_id="A", name="A", region="east"), Account(account_id="B", name="B")])
        session.flush()
        scores = [("A", 10), ("A", 9), ("B", 8), ("B", 7), ("A", 6), ("B", 0), (None, 3)]
        for i, (account, score) in enumerate(scores):
            session.add(NpsResponse(response_id=f"f{i}", at=datetime(2024, 2, 1 + i, 12), account_id=account, score=score))
        session.add(NpsResponse(response_id="edge-feb", at=datetime(2024, 2, 29, 23, 59), account_id="A", score=10))
        session.add(NpsResponse(response_id="edge-mar", at=datetime(2024, 3, 1, 0, 0), account_id="A", score=0))


def test_nps_per_month(ws):
    seed_responses(ws)
    jan, feb, mar = ws.report("nps", period="month", **{"from": "2024-01-01", "to": "2024-03-31"})["periods"]
    assert jan == {"period_start": "2024-01-01", "period_end": "2024-01-31", "segment": "all", "responses": 0,
                   "promoters": 0, "passives": 0, "detractors": 0, "nps": None}
    # 10, 9, 10 promoters; 8, 7 passives; 6, 0, 3 detractors: 100 * (3 - 3) / 8 = 0
    assert (feb["responses"], feb["promoters"], feb["passives"], feb["detractors"], feb["nps"]) == (8, 3, 2, 3, 0.0)
    assert (mar["responses"], mar["detractors"], mar["nps"]) == (1, 1, -100.0)


def test_nps_by_segment(ws):
    seed_responses(ws)
    rows = ws.report("nps", period="month", segment="region", **{"from": "2024-02-01", "to": "2024-02-29"})["periods"]
    by = {r["segment"]: r for r in rows}
    assert [r["segment"] for r in rows] == ["east", None]
    # east = A: 10, 9, 6, 10 -> 100 * (3 - 1) / 4 = 50
    assert (by["east"]["responses"], by["east"]["nps"]) == (4, 50.0)
    # missing region = B (8, 7, 0) and the response without an account (3): 100 * (0 - 2) / 4 = -50
    assert (by[None]["responses"], by[None]["passives"], by[None]["nps"]) == (4, 2, -50.0)


def test_nps_rounds_to_two_decimals(ws):
    with ws.store.write(touched=["nps_responses"]) as session:
        for i, score in enumerate([10, 9, 8, 7, 6, 0, 3]):
            session.add(NpsResponse(response_id=f"r{i}", at=datetime(2024, 2, 1 + i), score=score))
    (feb,) = ws.report("nps", period="month", **{"from": "2024-02-01", "to": "2024-02-29"})["periods"]
    assert feb["nps"] == -14.29  # 100 * (2 - 3) / 7
