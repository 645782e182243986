"""Each rule on planted signal frames (pure functions: no store). Expected keys worked by hand."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from b2bgrowth.success.playbooks.rules import RULES_BY_ID, Inputs

AS_OF = date(2024, 6, 30)


def run(rule_id, inputs, **params):
    spec = RULES_BY_ID[rule_id]
    return spec.evaluate(inputs, {**spec.params, **params}, AS_OF)


def signals_frame():
    return pd.DataFrame({
        "account_id": ["A", "B", "C", "D"],
        "days_to_renewal": [30, 89, 90, None],
        "next_due_date": [date(2024, 7, 30), date(2024, 9, 27), date(2024, 9, 28), None],
        # events_30d / events_prev_30d − 1: A 60/100−1 = −0.40, B 71/100−1 = −0.29, C 69/100−1 = −0.31
        "usage_trend_30d": [-0.40, -0.29, -0.31, None],
        # mau / seats: A 19/20 = 0.95, B 9/10 = 0.90 (not above), C 5/10, D no seats
        "seat_utilisation": [0.95, 0.90, 0.5, None],
    })


def test_red_health_with_renewal_in_fewer_than_90_days():
    health = pd.DataFrame({"account_id": ["A", "B", "C", "D"], "health_color": ["red", "red", "red", "red"],
                           "health_score": [20.0, 30.0, 35.0, 10.0]})
    fired = run("red_renewal", Inputs(signals=signals_frame(), health=health))
    # A (30 days) and B (89) are < 90; C is exactly 90 (not fewer); D has no renewal.
    assert [s.key for s in fired] == ["risk:red_renewal:A:2024-07-30", "risk:red_renewal:B:2024-09-27"]
    assert fired[0].type == "risk" and fired[0].values["health_score"] == 20.0
    health.loc[0, "health_color"] = "yellow"
    assert [s.account_id for s in run("red_renewal", Inputs(signals=signals_frame(), health=health))] == ["B"]


def test_usage_down_more_than_30_percent():
    fired = run("usage_down", Inputs(signals=signals_frame()))
    # A −40 % and C −31 % fall more than 30 %; B −29 % does not; D has no trend (no previous events).
    assert [s.key for s in fired] == ["risk:usage_down:A:2024-06", "risk:usage_down:C:2024-06"]
    assert fired[0].subject == "risk:usage_down:A" and fired[0].values["drop"] == "40%"


def test_seat_utilisation_above_90_percent():
    fired = run("seat_utilisation", Inputs(signals=signals_frame()))
    assert [(s.key, s.type, s.values["utilisation"]) for s in fired] == [
        ("expansion:seats:A:2024-Q2", "expansion", "95%")]
    assert [s.account_id for s in run("seat_utilisation", Inputs(signals=signals_frame()), threshold=0.5)] == ["A", "B"]


def test_detractor_one_task_per_response_in_window():
    nps = pd.DataFrame({
        "response_id": ["R1", "R2", "R3", "R4", "R5"],
        "account_id": ["A", "A", "B", "B", "C"],
        "at": [datetime(2024, 6, 30, 23, 59), datetime(2024, 6, 1, 0, 0), datetime(2024, 5, 31, 23, 0),
               datetime(2024, 7, 1, 0, 0), datetime(2024, 6, 15)],
        "score": [6, 3, 0, 2, 7],
    })
    fired = run("detractor", Inputs(nps=nps))
    # Window of 30 days ending on as_of: [2024-06-01, 2024-06-30]. R1 (6, last minute) and R2 (first
    # day) are in; R3 is a day early, R4 after as_of; R5 scored 7 (passive).
    assert [s.key for s in fired] == ["detractor:R1", "detractor:R2"]
    assert {s.account_id for s in fired} == {"A"}


def test_overdue_onboarding_one_per_milestone():
    overdue = pd.DataFrame({"account_id": ["A", "A"], "milestone_id": ["first_login", "three_users"],
                            "name": ["First login", "3 active users"], "due_date": [date(2024, 6, 10)] * 2,
                            "done_date": [None, None], "status": ["overdue", "overdue"]})
    fired = run("onboarding_overdue", Inputs(overdue=overdue))
    assert [s.key for s in fired] == ["onboarding:A:first_login", "onboarding:A:three_users"]
    assert fired[1].values["milestone"] == "3 active users"


def test_renewal_due_within_90_days_one_per_chain():
    chains = pd.DataFrame({"account_id": ["A", "A", "B", "C"], "subscription_id": ["S1", "S2", "S3", "S4"],
                           "due_date": [date(2024, 9, 28), date(2024, 9, 29), date(2024, 6, 30), date(2024, 7, 1)]})
    fired = run("renewal_due", Inputs(chains=chains))
    # (as_of, as_of + 90] = (2024-06-30, 2024-09-28]: S1 on the last day and S4 the first; S2 a day late,
    # S3 due on as_of itself (already due, not coming due).
    assert sorted(s.key for s in fired) == ["renewal:A:S1:2024-09-28", "renewal:C:S4:2024-07-01"]
