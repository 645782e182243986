"""Hand-computed usage windows, signals and user segments on the planted company (planted.py)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from b2bgrowth.success.signals import account_signals, chains_as_of
from b2bgrowth.success.usage import usage_features, usage_series, user_activity
from tests.success_usage.planted import PLANTED_AS_OF, add_events, event, plant

D = PLANTED_AS_OF  # 2024-06-30: 30d = [06-01, 06-30], prev 30d = [05-02, 05-31], 90d = [04-02, 06-30]


@pytest.fixture
def planted(ws):
    plant(ws)
    return ws


def _row(frame, account_id):
    return frame.set_index("account_id").loc[account_id]


def test_usage_features_by_hand(planted):
    f = usage_features(planted, D)
    # D has no event: not in the frame (callers left-join); C has only February events: it is.
    assert list(f["account_id"]) == ["A", "B", "C"]
    a = _row(f, "A")
    # 06-30: A-c1 and u2@acme.test (the user-less "sync" is not a user) → DAU 2
    # 06-24..06-30: + acme-x (06-28) → WAU 3; June: same three → MAU 3 (A-old was active in May)
    assert (a.dau, a.wau, a.mau) == (2, 3, 3)
    # June: 30 × (login + report) + 2 export + 1 support_ticket + 1 sync = 64; May 10..19: 10 logins
    assert (a.events_30d, a.events_prev_30d, a.active_users_prev_30d) == (64, 10, 1)
    assert a.usage_trend_30d == pytest.approx(64 / 10 - 1)  # 5.4
    assert a.breadth_30d == 4  # login, report, export, sync (support_ticket is not a feature)
    assert (a.support_tickets_30d, a.support_tickets_90d) == (1, 2)  # 06-28; + 05-01
    assert (a.last_active_day, a.days_since_active) == (date(2024, 6, 30), 0)
    b = _row(f, "B")
    assert (b.dau, b.wau, b.mau, b.events_30d, b.events_prev_30d, b.active_users_prev_30d) == (0, 0, 0, 0, 1, 1)
    assert b.usage_trend_30d == pytest.approx(-1.0)  # 0 / 1 − 1
    assert (b.last_active_day, b.days_since_active) == (date(2024, 5, 5), 56)  # 26 days of May + 30 of June
    c = _row(f, "C")
    assert math.isnan(c.usage_trend_30d)  # previous 30 days had no events
    assert c.days_since_active == 19 + 31 + 30 + 31 + 30  # Feb 10 → Jun 30 (2024 is a leap year): 141


def test_account_signals_by_hand(planted):
    s = account_signals(planted, D)
    assert list(s["account_id"]) == ["A", "B", "D"]  # C's subscription ended 2024-03-01: not paying
    a = _row(s, "A")
    assert (a["name"], a.tier, a.owner, a.region) == ("Acme", "KA", "alice", "east")
    assert (a.mrr, a.arr, a.seats) == (1000, 12000, 10)
    assert a.seat_utilisation == pytest.approx(3 / 10)  # MAU 3 ÷ 10 seats
    assert (a.first_paid_day, a.days_since_first_paid) == (date(2024, 1, 1), 31 + 29 + 31 + 30 + 31 + 29)
    assert (a.nps_last, a.nps_365, a.detractors_90d) == (5, 0, 1)  # 10 (promoter) and 5 (detractor): (1−1)/2
    # a1 ends 2025-01-01: 31 (to Jul 31) + 31 + 30 + 31 + 30 + 31 + 1 = 185 days
    assert (a.next_due_date, a.days_to_renewal, a.next_due_arr, a.next_due_subscription_id) == (
        date(2025, 1, 1), 185, 12000, "a1")
    b = _row(s, "B")
    assert (b.next_due_date, b.days_to_renewal, b.seat_utilisation, b.nps_last) == (date(2024, 7, 15), 15, 0.0, 3)
    assert math.isnan(b.nps_365) and b.detractors_90d == 0  # B's only response is from 2023-05-01
    d = _row(s, "D")
    # Paying, no events: counts are 0, ratios and last activity stay null.
    assert (d.dau, d.mau, d.events_30d, d.breadth_30d, d.support_tickets_90d) == (0, 0, 0, 0, 0)
    assert d.seat_utilisation == 0.0 and math.isnan(d.usage_trend_30d) and d.last_active_day is None
    assert d.next_due_date is None and math.isnan(d.days_to_renewal)


def test_chains_as_of_uses_rows_started_by_the_date(planted):
    chains = chains_as_of(planted, D)
    assert set(chains["subscription_id"]) == {"a1", "b1", "c1"}  # d1 is open-ended: never due
    assert dict(zip(chains["subscription_id"], chains["due_date"]))["b1"] == date(2024, 7, 15)
    # As of 2023-12-31 a1 (starts 2024-01-01) does not exist yet.
    assert "a1" not in set(chains_as_of(planted, date(2023, 12, 31))["subscription_id"])


def test_user_activity_segments_and_contact_links(planted):
    u = user_activity(planted, "A", D)
    assert list(u["user_id"]) == ["A-c1", "u2@acme.test", "acme-x", "A-old"]
    r = u.set_index("user_id")
    # A-c1: June every day, login + report → 60 events, 30 days, 2 features → champion (30 ≥ 12)
    assert tuple(r.loc["A-c1", ["events", "active_days", "features", "segment", "contact_id", "role"]]) == (
        60, 30, 2, "champion", "A-c1", "decision_maker")
    # linked by e-mail (case-insensitive): 2 days < 3 → occasional
    assert tuple(r.loc["u2@acme.test", ["events", "active_days", "segment", "contact_id", "name"]]) == (
        2, 2, "occasional", "A-c2", "Bo")
    assert r.loc["acme-x", "contact_id"] == "A-c3"  # linked by the contact attribute user_id
    assert tuple(r.loc["A-old", ["events", "active_days", "segment", "last_active_day"]]) == (
        0, 0, "dormant", date(2024, 5, 19))
    assert r.loc["A-old", "contact_id"] is None


def test_usage_series_fills_quiet_days(planted):
    s = usage_series(planted, "A", date(2024, 6, 27), date(2024, 6, 30))
    # 06-27: A-c1 2 events; 06-28: + support ticket; 06-30: A-c1 2 + export + sync (user-less)
    assert s["events"].tolist() == [2, 3, 2, 4]
    assert s["active_users"].tolist() == [1, 2, 1, 2]
    assert s["features"].tolist() == [2, 3, 2, 4]
    assert usage_series(planted, "B", date(2024, 6, 1), date(2024, 6, 2))["events"].tolist() == [0, 0]


def test_point_in_time_later_data_changes_nothing(planted):
    before_f, before_s = usage_features(planted, D), account_signals(planted, D)
    before_u = user_activity(planted, "A", D)
    add_events(planted, [event("A", "late", "2024-07-03", "login"), event("B", "B-c2", "2024-07-01", "export"),
                         event("D", "D-u", "2024-08-01", "support_ticket")])
    from datetime import datetime

    from b2bgrowth.revenue.models import Subscription
    from b2bgrowth.voc.models import NpsResponse
    with planted.store.write(touched=["subscriptions", "nps_responses"]) as session:
        session.add(Subscription(subscription_id="b1", account_id="B", product="X", mrr=700, seats=8,
                                 start_date=date(2024, 7, 15), end_date=None, currency="CNY"))
        session.add(NpsResponse(response_id="late", account_id="A", contact_id="A-c1", score=0,
                                at=datetime(2024, 7, 1, 0, 0)))
    import pandas.testing as pdt
    pdt.assert_frame_equal(usage_features(planted, D), before_f)
    pdt.assert_frame_equal(account_signals(planted, D), before_s)
    pdt.assert_frame_equal(user_activity(planted, "A", D), before_u)
    # …while as of the later date they do show.
    assert _row(usage_features(planted, date(2024, 8, 1)), "D").support_tickets_30d == 1


def test_bad_input_is_named(planted):
    with pytest.raises(ValueError, match="start 2024-06-30 is after end"):
        usage_series(planted, "A", date(2024, 6, 30), date(2024, 6, 1))
    with pytest.raises(ValueError, match="days must be at least 1"):
        user_activity(planted, "A", D, days=0)
