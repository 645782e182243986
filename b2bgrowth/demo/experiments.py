"""Planted experiments in the demo company (issue 5), run after the rest of the demo is written.

1. `onboarding-call` — a randomised programme: new accounts that signed up between 365 and
   120 days before "today" were split 50/50 within each tier (blocked, by the experiment key);
   the treated got an onboarding call. Planted truth: +4 logins and +3 run_report events on
   average in their first 90 days, and 35 % of treated accounts that would have stopped paying
   within 120 days kept paying (their last contract row runs a year longer). Assignments are
   written with assigned_at = the account's creation, so every 90-day window is complete.
2. `bootcamp-2026` — a non-randomised campaign: a customer bootcamp that busier accounts were
   more likely to join (touches with campaign_id "bootcamp-2026"); +0.3 logins per day in the
   28 days after it started. `b2bgrowth experiment did --campaign bootcamp-2026` estimates it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
from sqlalchemy import select

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

ONBOARDING = "onboarding-call"
BOOTCAMP = "bootcamp-2026"


def _events(rows: list[tuple[str, datetime, str]], prefix: str) -> pa.Table:
    return pa.table({
        "event_id": [f"{prefix}{i}" for i in range(len(rows))],
        "ts": pa.array([r[1] for r in rows], pa.timestamp("us")),
        "account_id": [r[0] for r in rows],
        "user_id": [f"{r[0]}-U1" for r in rows],
        "event": [r[2] for r in rows],
        "properties": ["{}"] * len(rows),
    })


def _onboarding(ws, rng: np.random.Generator, today: date) -> tuple[int, int]:
    from b2bgrowth.accounts.models import Account
    from b2bgrowth.experiments.assignment import blocked_assignment
    from b2bgrowth.experiments.models import Experiment, ExperimentAssignment
    from b2bgrowth.experiments.schemas import ExperimentCreate
    from b2bgrowth.experiments.service import create_experiment
    from b2bgrowth.revenue.models import Subscription

    first = datetime.combine(today - timedelta(days=365), datetime.min.time())
    last = datetime.combine(today - timedelta(days=120), datetime.min.time())
    with ws.store.read() as session:
        accounts = session.execute(
            select(Account.account_id, Account.tier, Account.created_at)
            .where(Account.created_at >= first, Account.created_at < last).order_by(Account.account_id)
        ).all()
    if len(accounts) < 4:
        return 0, 0
    created = {a: c for a, _, c in accounts}
    by_tier: dict[str, list[str]] = defaultdict(list)
    for account_id, tier, _ in accounts:
        by_tier[tier or "(none)"].append(account_id)
    rows = blocked_assignment(ONBOARDING, by_tier, [("control", 0.5), ("treatment", 0.5)])
    create_experiment(ws, ExperimentCreate(
        key=ONBOARDING, name="Onboarding call for new accounts",
        hypothesis="A 60-minute onboarding call in the first week raises 90-day activity and keeps more accounts paying",
        owner="customer-success", stratify_by="tier",
        population={"created_from": first, "created_to": last},
        metrics={
            "primary": [{"name": "reports_90d", "type": "count", "events": ["run_report"], "window_days": 90}],
            "secondary": [
                {"name": "logins_90d", "type": "count", "events": ["login"], "window_days": 90},
                {"name": "reports_per_login", "type": "ratio", "events": ["run_report"], "denominator_events": ["login"], "window_days": 90},
                {"name": "paying_120d", "type": "proportion", "source": "renewal", "window_days": 120, "value_per_unit": 30000.0},
            ],
            "guardrail": [{"name": "mrr_change_120d", "type": "mean", "source": "mrr_change", "window_days": 120}],
        },
        roi={"metric": "paying_120d", "cost_per_treated_unit": 800.0},
    ), by="demo")
    treated = [r["unit_id"] for r in rows if r["variant"] == "treatment"]
    with ws.store.write(touched=["experiments", "subscriptions"]) as session:
        exp = session.get(Experiment, ONBOARDING)
        exp.status, exp.started_at, exp.stopped_at = "stopped", first, datetime.combine(today, datetime.min.time())
        exp.created_at = first - timedelta(days=7)  # not the wall clock: same seed, same rows
        session.add_all(
            ExperimentAssignment(experiment_key=ONBOARDING, unit_id=r["unit_id"], variant=r["variant"], stratum=r["stratum"],
                                 assigned_at=created[r["unit_id"]])
            for r in rows
        )
        # retention effect: some treated accounts that stopped paying within 120 days renew for a year
        for account_id in treated:
            horizon = (created[account_id] + timedelta(days=120)).date()
            subs = session.scalars(select(Subscription).where(Subscription.account_id == account_id)).all()
            if not subs or any(s.end_date is None or s.end_date > horizon for s in subs):
                continue
            if rng.random() < 0.35:
                latest = max(subs, key=lambda s: s.end_date)
                extended = latest.end_date + timedelta(days=365)
                latest.end_date = None if extended >= today else extended
    events = []
    for account_id in treated:
        start = created[account_id]
        for name, mean in (("login", 4.0), ("run_report", 3.0)):
            for _ in range(rng.poisson(mean)):
                events.append((account_id, start + timedelta(days=float(rng.uniform(0.5, 89.5))), name))
    if events:
        ws.events.ingest_arrow(_events(events, "XP-ONB-"))
    return len(rows), len(events)


def _bootcamp(ws: Workspace, rng: np.random.Generator, today: date) -> tuple[int, int]:
    from b2bgrowth.accounts.models import Account
    from b2bgrowth.channels.models import Campaign
    from b2bgrowth.leads.models import Touch

    start = datetime.combine(today - timedelta(days=70), datetime.min.time())
    con_rows = []
    import duckdb

    con = duckdb.connect()
    try:
        ws.events.register_view(con)
        con_rows = con.execute(
            "SELECT account_id, count(*) FROM events WHERE event = 'login' AND ts >= ? AND ts < ? GROUP BY account_id",
            [start - timedelta(days=56), start],
        ).fetchall()
    finally:
        con.close()
    with ws.store.read() as session:
        known = set(session.scalars(select(Account.account_id)))
    activity = {a: n for a, n in con_rows if a in known}
    if len(activity) < 20:
        return 0, 0
    ids = sorted(activity)
    level = np.array([activity[a] for a in ids], dtype=float)
    joined = rng.random(len(ids)) < np.where(level > np.median(level), 0.35, 0.1)  # busier accounts join more
    treated = [a for a, j in zip(ids, joined) if j]
    with ws.store.write(touched=["campaigns", "touches"]) as session:
        if session.get(Campaign, BOOTCAMP) is None:
            session.add(Campaign(campaign_id=BOOTCAMP, name="客户训练营 2026", kind="event", mode="offline",
                                 start_date=start.date(), end_date=(start + timedelta(days=27)).date(), cost=60000.0, currency="CNY"))
        session.add_all(
            Touch(touch_id=f"{BOOTCAMP}-{i}", at=start + timedelta(hours=10), kind="event", account_id=a, campaign_id=BOOTCAMP,
                  outcome="attended")
            for i, a in enumerate(treated)
        )
    events = []
    for account_id in treated:
        for _ in range(rng.poisson(0.3 * 28)):
            events.append((account_id, start + timedelta(days=float(rng.uniform(0, 28))), "login"))
    if events:
        ws.events.ingest_arrow(_events(events, "XP-BOOT-"))
    return len(treated), len(events)


def plant_experiments(ws: Workspace, seed: int, today: date, counts: dict[str, int]) -> None:
    """Plant both; adds to the demo summary's counts (its events count includes the planted events)."""
    rng = np.random.default_rng([seed, 5])
    counts["experiment_assignments"], onboarding_events = _onboarding(ws, rng, today)
    counts["bootcamp_accounts"], bootcamp_events = _bootcamp(ws, rng, today)
    counts["events"] = counts.get("events", 0) + onboarding_events + bootcamp_events
    ws.events.flush()
