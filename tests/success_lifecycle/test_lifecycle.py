"""Lifecycle stages: the boundary days, at_risk, point in time, and writing today's stage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from b2bgrowth.accounts.models import Account
from b2bgrowth.success.lifecycle import base_stage, lifecycle_stage, lifecycle_stages, update_lifecycle_stages

from .planted import add_accounts, add_subscription


@pytest.mark.parametrize(("paying", "ever", "days", "stage"), [
    (False, False, None, "prospect"),
    (True, True, 0, "onboarding"),     # the first paid day is day 0
    (True, True, 89, "onboarding"),    # the 90th day
    (True, True, 90, "adopting"),
    (True, True, 364, "adopting"),
    (True, True, 365, "mature"),
    (False, True, 400, "churned"),
    (False, True, 10, "churned"),
])
def test_base_stage_boundaries(paying, ever, days, stage):
    assert base_stage(paying, ever, days) == stage


@pytest.mark.parametrize(("base", "colour", "risk", "stage"), [
    ("mature", "red", None, "at_risk"),
    ("adopting", "green", 0.5, "at_risk"),       # risk ≥ 0.5
    ("onboarding", "yellow", 0.49, "onboarding"),
    ("mature", None, None, "mature"),            # no health/risk input: the base stage stands
    ("churned", "red", 0.9, "churned"),          # churned and prospects are never at_risk
    ("prospect", "red", 0.9, "prospect"),
])
def test_at_risk_overrides_paying_stages(base, colour, risk, stage):
    assert lifecycle_stage(base, colour, risk) == stage


def _planted(ws):
    add_accounts(ws, *({"account_id": a} for a in ("NEW", "OLD", "GONE", "BACK", "LATER", "PROS")))
    add_subscription(ws, "s-new", "NEW", date(2024, 1, 1), None, 1000)
    add_subscription(ws, "s-old", "OLD", date(2022, 1, 1), None, 1000)
    add_subscription(ws, "s-gone", "GONE", date(2023, 1, 1), date(2024, 2, 1), 1000)
    # BACK paid in 2022, stopped, and came back in 2024: it keeps its first paid day (mature, not onboarding).
    add_subscription(ws, "s-back", "BACK", date(2022, 1, 1), date(2022, 6, 1), 1000)
    add_subscription(ws, "s-back2", "BACK", date(2024, 3, 1), None, 1000)
    add_subscription(ws, "s-later", "LATER", date(2024, 5, 1), None, 1000)
    add_subscription(ws, "s-free", "PROS", date(2023, 1, 1), None, 0)  # MRR 0 is not paying


def _stages(ws, day):
    frame = lifecycle_stages(ws, day)
    assert list(frame.columns) == ["account_id", "first_paid_day", "base_stage"]
    return dict(zip(frame["account_id"], frame["base_stage"]))


def test_stages_at_boundary_days(ws):
    _planted(ws)
    # NEW first paid 2024-01-01: 2024-03-30 is day 89, 2024-03-31 day 90; 2024 is a leap year so
    # 2024-12-31 is day 365.
    assert _stages(ws, date(2024, 3, 30))["NEW"] == "onboarding"
    assert _stages(ws, date(2024, 3, 31))["NEW"] == "adopting"
    assert _stages(ws, date(2024, 12, 30))["NEW"] == "adopting"
    assert _stages(ws, date(2024, 12, 31))["NEW"] == "mature"
    stages = _stages(ws, date(2024, 4, 1))
    assert stages == {"NEW": "adopting", "OLD": "mature", "GONE": "churned", "BACK": "mature"}
    # LATER has not started paying on 2024-04-01 and PROS never pays: neither is listed (never paid).
    frame = lifecycle_stages(ws, date(2024, 4, 1)).set_index("account_id")
    assert frame.loc["BACK", "first_paid_day"] == date(2022, 1, 1)


def test_point_in_time(ws):
    _planted(ws)
    day = date(2024, 4, 1)
    before = lifecycle_stages(ws, day)
    add_subscription(ws, "s-gone-again", "GONE", day + timedelta(days=1), None, 500)  # reactivation after D
    add_subscription(ws, "s-new-up", "NEW", day + timedelta(days=10), None, 9000)
    add_accounts(ws, {"account_id": "FUT"})
    add_subscription(ws, "s-fut", "FUT", day + timedelta(days=1), None, 100)
    after = lifecycle_stages(ws, day)
    assert before.equals(after)


def test_update_writes_todays_stage(ws):
    today = date.today()
    add_accounts(ws, {"account_id": "T1"}, {"account_id": "T2"}, {"account_id": "T3"})
    add_subscription(ws, "t1", "T1", today - timedelta(days=89), None, 100)   # day 89 → onboarding
    add_subscription(ws, "t2", "T2", today - timedelta(days=365), None, 100)  # day 365 → mature
    result = update_lifecycle_stages(ws, today, with_risk=False)
    assert result["changed"] == 3 and result["stages"] == {"onboarding": 1, "mature": 1, "prospect": 1}
    with ws.store.read() as session:
        assert {a.account_id: a.lifecycle_stage for a in session.query(Account)} == {
            "T1": "onboarding", "T2": "mature", "T3": "prospect"}
    assert update_lifecycle_stages(ws, today, with_risk=False)["changed"] == 0
    assert update_lifecycle_stages(ws, today - timedelta(days=3))["changed"] == 0  # a past day never rewrites today


def test_update_uses_health_and_risk_when_present(ws):
    today = date.today()
    add_accounts(ws, {"account_id": "T1"})
    add_subscription(ws, "t1", "T1", today - timedelta(days=200), None, 100)
    result = update_lifecycle_stages(ws, today)
    # With H's health_at / R's risk_at importable they are used; the stage is adopting or at_risk.
    assert set(result["inputs"]) <= {"health", "risk"}
    with ws.store.read() as session:
        assert session.get(Account, "T1").lifecycle_stage in ("adopting", "at_risk")
