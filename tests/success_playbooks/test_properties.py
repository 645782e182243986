"""Invariant: any sequence of runs and actions never leaves two open/snoozed tasks with one
signal_key, nor two per subject of a rule (Hypothesis, SQLite store)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from b2bgrowth.success.models import CsTask
from b2bgrowth.success.playbooks import run_playbooks
from b2bgrowth.success.playbooks.tasks import TaskError, set_status, snooze
from tests.success_playbooks.planted import inputs, plant_accounts  # noqa: E402

START = date(2024, 1, 1)
step = st.tuples(
    st.integers(0, 200),  # day offset of the run
    st.sampled_from([None, -0.5, -0.1]),  # usage trend of A
    st.sampled_from([None, 0.95]),  # seat utilisation of A
    st.sampled_from([None, date(2024, 9, 1), date(2024, 12, 1)]),  # red renewal due date
    st.sampled_from(["none", "done", "cancel", "snooze"]),  # what the CSM does to the first active task
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(step, min_size=1, max_size=6))
def test_never_two_active_tasks_per_signal(sqlite_ws, steps):
    ws = sqlite_ws
    with ws.store.write(touched=["cs_tasks", "accounts"]) as s:
        s.execute(delete(CsTask))
    with ws.store.read() as s:
        from b2bgrowth.accounts.models import Account
        if s.get(Account, "A") is None:
            plant_accounts(ws)
    for offset, trend, seats, red_due, action in steps:
        as_of = START + timedelta(days=offset)
        run_playbooks(ws, as_of, inputs(usage_trend=trend, seats=seats, red_due=red_due))
        with ws.store.read() as s:
            active = s.execute(select(CsTask).where(CsTask.status.in_(["open", "snoozed"]))).scalars().all()
        keys = Counter(t.signal_key for t in active)
        subjects = Counter((t.rule_id, (t.signal or {}).get("_subject")) for t in active)
        assert max(keys.values(), default=0) <= 1 and max(subjects.values(), default=0) <= 1
        if active and action != "none":
            try:
                if action == "snooze":
                    snooze(ws, active[0].task_id, as_of + timedelta(days=10), "p", today=as_of)
                else:
                    set_status(ws, active[0].task_id, "done" if action == "done" else "cancelled", "p", today=as_of)
            except TaskError:
                pass
