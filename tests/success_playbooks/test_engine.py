"""run_playbooks on planted inputs, on both stores: creation, owner, due date, de-duplication,
snooze expiry, auto-close."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import select

from b2bgrowth.success.models import CsTask
from b2bgrowth.success.playbooks import run_playbooks
from b2bgrowth.success.playbooks.tasks import list_tasks, set_status, snooze
from tests.success_playbooks.planted import inputs, plant_accounts, plant_nps  # noqa: E402

D = date(2024, 6, 30)


def all_tasks(ws):
    with ws.store.read() as s:
        return sorted(s.execute(select(CsTask)).scalars().all(), key=lambda t: t.signal_key)


def test_creates_tasks_for_the_owner_due_in_k_days(ws):
    plant_accounts(ws)
    result = run_playbooks(ws, D, inputs(usage_trend=-0.5, seats=0.95, red_due=date(2024, 7, 30),
                                         overdue=[("A", "first_login", "First login", date(2024, 6, 1))],
                                         chains=[("A", "S1", date(2024, 7, 30))]))
    assert result["created"] == 5 and result["skipped"] == {}
    tasks = {t.rule_id: t for t in all_tasks(ws)}
    assert set(tasks) == {"usage_down", "seat_utilisation", "red_renewal", "onboarding_overdue", "renewal_due"}
    assert {t.owner for t in tasks.values()} == {"王磊"}
    # due = as_of + due_days: red_renewal 3 → 2024-07-03; usage_down 7 → 07-07; seats 14 → 07-14
    assert tasks["red_renewal"].due_date == date(2024, 7, 3)
    assert tasks["usage_down"].due_date == date(2024, 7, 7)
    assert tasks["seat_utilisation"].due_date == date(2024, 7, 14)
    assert tasks["usage_down"].title == "Usage down 50% over 30 days"
    assert tasks["renewal_due"].signal_key == "renewal:A:S1:2024-07-30"


def test_running_twice_creates_nothing_new(ws):
    plant_accounts(ws)
    planted = inputs(usage_trend=-0.5, red_due=date(2024, 7, 30))
    first = run_playbooks(ws, D, planted)
    second = run_playbooks(ws, D, planted)
    assert (first["created"], second["created"], second["kept"]) == (2, 0, 2)
    assert len(all_tasks(ws)) == 2


def test_lasting_state_keeps_one_open_task_across_months(ws):
    plant_accounts(ws)
    run_playbooks(ws, date(2024, 6, 30), inputs(usage_trend=-0.5))
    # July: key risk:usage_down:A:2024-07 differs, but the open June task has the same subject.
    july = run_playbooks(ws, date(2024, 7, 31), inputs(usage_trend=-0.5))
    assert (july["created"], july["kept"]) == (0, 1)
    assert [t.signal_key for t in all_tasks(ws)] == ["risk:usage_down:A:2024-06"]


def test_done_then_recurs_with_new_key_gives_new_task(ws):
    plant_accounts(ws)
    run_playbooks(ws, D, inputs(usage_trend=-0.5))
    (task,) = all_tasks(ws)
    set_status(ws, task.task_id, "done", "csm", today=D)
    again = run_playbooks(ws, D, inputs(usage_trend=-0.5))  # same month, same key: handled
    assert (again["created"], again["handled"]) == (0, 1)
    august = run_playbooks(ws, date(2024, 8, 1), inputs(usage_trend=-0.5))  # new key
    assert august["created"] == 1
    assert [(t.signal_key, t.status) for t in all_tasks(ws)] == [
        ("risk:usage_down:A:2024-06", "done"), ("risk:usage_down:A:2024-08", "open")]


def test_snoozed_task_is_kept_and_wakes_when_its_day_comes(ws):
    plant_accounts(ws)
    run_playbooks(ws, D, inputs(seats=0.95))
    (task,) = all_tasks(ws)
    snooze(ws, task.task_id, date(2024, 7, 10), "csm", today=D)
    kept = run_playbooks(ws, date(2024, 7, 9), inputs(seats=0.95))
    assert (kept["created"], kept["kept"], kept["woken"]) == (0, 1, 0)
    assert all_tasks(ws)[0].status == "snoozed"
    # Read on 07-10 shows it open already; the run on 07-10 writes it.
    assert list_tasks(ws, date(2024, 7, 10))[0]["status"] == "open"
    woke = run_playbooks(ws, date(2024, 7, 10), inputs(seats=0.95))
    assert (woke["woken"], woke["created"]) == (1, 0)
    assert all_tasks(ws)[0].status == "open" and all_tasks(ws)[0].snoozed_until is None


def test_auto_close_when_the_signal_stops_but_not_detractors(ws):
    plant_accounts(ws)
    plant_nps(ws, [("R1", "B", datetime(2024, 6, 20, 12), 2)])
    nps = pd.DataFrame({"response_id": ["R1"], "account_id": ["B"], "at": [datetime(2024, 6, 20, 12)], "score": [2]})
    run_playbooks(ws, D, inputs(usage_trend=-0.5, nps=nps))
    # A month later usage recovered and R1 fell out of the 30-day window.
    later = run_playbooks(ws, date(2024, 7, 31), inputs(usage_trend=0.1, nps=nps))
    assert later["closed"] == 1
    status = {t.rule_id: t.status for t in all_tasks(ws)}
    assert status == {"usage_down": "cancelled", "detractor": "open"}
    closed = next(t for t in all_tasks(ws) if t.rule_id == "usage_down")
    assert closed.comments[-1]["text"] == "cancelled: signal no longer holds on 2024-07-31"


def test_detractor_from_the_nps_table_and_missing_inputs_skip_rules(ws):
    plant_accounts(ws)
    plant_nps(ws, [("R1", "B", datetime(2024, 6, 20, 12), 2), ("R2", "B", datetime(2024, 7, 1, 9), 1),
                   ("R3", "A", datetime(2024, 6, 21), 9)])
    from b2bgrowth.success.playbooks.engine import nps_frame
    from b2bgrowth.success.playbooks.rules import Inputs

    # Only the NPS input: the other rules are skipped with the reason, nothing else created.
    planted = Inputs(nps=nps_frame(ws, D), missing={"signals": "signals not available: test"})
    result = run_playbooks(ws, D, planted)
    assert result["created"] == 1  # R1 (R2 is after as_of, R3 a promoter)
    assert result["skipped"]["usage_down"] == "signals not available: test"
    (task,) = all_tasks(ws)
    assert (task.signal_key, task.owner, task.type) == ("detractor:R1", "Li Na", "detractor")


def test_disabled_rule_creates_and_closes_nothing(ws):
    from b2bgrowth.success.playbooks.config import save_rule

    plant_accounts(ws)
    run_playbooks(ws, D, inputs(usage_trend=-0.5))
    save_rule(ws, "usage_down", enabled=False, by="admin")
    result = run_playbooks(ws, date(2024, 7, 31), inputs(usage_trend=0.5))
    assert result["closed"] == 0 and "usage_down" not in result["signals"]
    assert all_tasks(ws)[0].status == "open"
