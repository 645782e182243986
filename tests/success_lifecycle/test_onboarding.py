"""Onboarding milestones on planted events: done / pending / overdue, custom kinds, point in time."""

from __future__ import annotations

from datetime import date

import pytest

from b2bgrowth.success.onboarding import onboarding_progress, overdue_milestones
from b2bgrowth.success.onboarding_config import (
    DEFAULT_MILESTONES,
    Milestone,
    load_milestones,
    remove_milestone,
    save_milestones,
    upsert_milestone,
)

from .planted import add_accounts, add_events, add_subscription

D = date  # brevity in the expectations


def plant(ws):
    add_accounts(ws, *({"account_id": a} for a in ("N1", "N2", "OLD", "GONE")))
    add_subscription(ws, "n1", "N1", D(2024, 3, 1), None, 1000)
    add_subscription(ws, "n2", "N2", D(2024, 4, 1), None, 1000)
    add_subscription(ws, "old", "OLD", D(2023, 1, 1), None, 1000)
    add_subscription(ws, "gone", "GONE", D(2024, 3, 1), D(2024, 3, 20), 1000)
    add_events(ws, [
        ("N1", "u1", "login", "2024-02-20 09:00"),   # before the first payment: does not count
        ("N1", "u1", "login", "2024-03-05 09:00"),   # first login → done 03-05 (due 03-08)
        ("N1", "u2", "view", "2024-03-10 10:00"),
        ("N1", "u3", "view", "2024-03-12 23:59"),    # window [03-06, 03-12]: u2, u3 (u1's 03-05 is out) → 2
        ("N1", "u1", "login", "2024-03-13 08:00"),   # window [03-07, 03-13]: u2, u3, u1 → 3 users → done 03-13
        ("OLD", "x", "run_report", "2023-01-03 12:00"),
    ])


def status(frame, account, milestone):
    row = frame[(frame["account_id"] == account) & (frame["milestone_id"] == milestone)].iloc[0]
    return row["status"], row["done_date"], row["due_date"]


def test_defaults_done_pending_overdue(ws):
    plant(ws)
    frame = onboarding_progress(ws, D(2024, 4, 20))
    assert list(frame.columns[:6]) == ["account_id", "milestone_id", "name", "due_date", "done_date", "status"]
    # In scope: paying on 04-20 and first paid < 90 days before → N1 (day 50), N2 (day 19); not OLD, not GONE.
    assert sorted(frame["account_id"].unique()) == ["N1", "N2"]
    assert status(frame, "N1", "first_login") == ("done", D(2024, 3, 5), D(2024, 3, 8))               # 03-01 + 7
    assert status(frame, "N1", "three_active_users") == ("done", D(2024, 3, 13), D(2024, 3, 31))      # 03-01 + 30
    assert status(frame, "N1", "first_report") == ("overdue", None, D(2024, 4, 15))                   # 03-01 + 45
    assert status(frame, "N2", "first_login") == ("overdue", None, D(2024, 4, 8))
    assert status(frame, "N2", "three_active_users") == ("pending", None, D(2024, 5, 1))
    overdue = overdue_milestones(ws, D(2024, 4, 20))
    assert sorted(zip(overdue["account_id"], overdue["milestone_id"])) == [("N1", "first_report"), ("N2", "first_login")]


def test_due_day_itself_is_still_pending(ws):
    plant(ws)
    assert status(onboarding_progress(ws, D(2024, 4, 15)), "N1", "first_report")[0] == "pending"  # as_of == due
    assert status(onboarding_progress(ws, D(2024, 4, 16)), "N1", "first_report")[0] == "overdue"


def test_point_in_time(ws):
    plant(ws)
    day = D(2024, 3, 12)
    before = onboarding_progress(ws, day)
    assert status(before, "N1", "three_active_users")[0] == "pending"  # only 2 users in the window so far
    add_events(ws, [("N1", "u9", "run_report", "2024-03-13 00:00"), ("N1", "u8", "view", "2024-03-13 00:30")])
    add_subscription(ws, "n3", "N2", D(2024, 3, 13), None, 10)
    after = onboarding_progress(ws, day)
    assert before.equals(after)


def test_scope_all_includes_older_accounts(ws):
    plant(ws)
    frame = onboarding_progress(ws, D(2024, 4, 20), scope="all")
    assert sorted(frame["account_id"].unique()) == ["N1", "N2", "OLD"]  # GONE is not paying
    assert status(frame, "OLD", "first_report") == ("done", D(2023, 1, 3), D(2023, 2, 15))
    with pytest.raises(ValueError, match="scope"):
        onboarding_progress(ws, D(2024, 4, 20), scope="everyone")


def test_custom_milestone_kinds(ws):
    plant(ws)
    add_events(ws, [("N1", "u1", "run_report", "2024-03-20 10:00"), ("N1", "u1", "run_report", "2024-03-21 10:00"),
                    ("N1", "u2", "run_report", "2024-03-22 10:00"), ("N1", "u2", "login", "2024-03-25 10:00")])
    save_milestones(ws, [
        Milestone("two_reporters", "2 users ran a report", "event", 30, event="run_report", threshold=2, position=1),
        Milestone("three_reports", "3 reports", "event_count", 30, event="run_report", threshold=3, position=2),
        Milestone("two_login_day", "2 users logged in one day", "active_users", 60, event="login", threshold=2,
                  window_days=1, position=3),
    ])
    frame = onboarding_progress(ws, D(2024, 4, 20))
    assert status(frame, "N1", "two_reporters")[:2] == ("done", D(2024, 3, 22))  # u1 on 03-20, u2 on 03-22
    assert status(frame, "N1", "three_reports")[:2] == ("done", D(2024, 3, 22))  # the 3rd run_report
    assert status(frame, "N1", "two_login_day")[0] == "pending"                   # logins on different days only


def test_milestone_config_is_validated_and_editable(ws):
    assert load_milestones(ws) == list(DEFAULT_MILESTONES)
    with pytest.raises(ValueError, match="needs an event name"):
        upsert_milestone(ws, Milestone("x", "X", "event", 7))
    with pytest.raises(ValueError, match="target_days"):
        upsert_milestone(ws, Milestone("x", "X", "event", 400, event="login"))
    with pytest.raises(ValueError, match="milestone id"):
        upsert_milestone(ws, Milestone("Bad Id", "X", "event", 7, event="login"))
    upsert_milestone(ws, Milestone("kickoff", "Kick-off call", "event", 14, event="kickoff_call"))
    ids = [m.milestone_id for m in load_milestones(ws)]
    assert ids == ["first_login", "three_active_users", "first_report", "kickoff"]  # appended after the defaults
    remove_milestone(ws, "first_report")
    assert "first_report" not in [m.milestone_id for m in load_milestones(ws)]
    with pytest.raises(ValueError, match="no milestone"):
        remove_milestone(ws, "nope")
