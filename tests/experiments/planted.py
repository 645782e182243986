"""A planted experiment: accounts in three tiers, a stratified 50/50 test, events with a known effect.

Each account has a pre-period activity level a ~ Poisson(λ_tier) 'login' events in the 30 days
before the start, and in the 30 days after it Poisson(a + effect·[treated]) 'login' events — so
the post value correlates with the pre value (CUPED helps) and the true absolute effect on the
mean login count is exactly `effect`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa

from b2bgrowth.accounts.models import Account
from b2bgrowth.experiments import service as registry
from b2bgrowth.experiments.assignment import stored_assignments
from b2bgrowth.experiments.schemas import ExperimentCreate

START = datetime(2026, 3, 1)
TIERS = {"A": 40, "B": 150, "C": 410}  # accounts per tier (600)


def add_accounts(ws, tiers=TIERS, prefix="ACC") -> list[str]:
    ids = []
    with ws.store.write(touched=["accounts"]) as session:
        n = 0
        for tier, count in tiers.items():
            for _ in range(count):
                n += 1
                account_id = f"{prefix}{n:05d}"
                ids.append(account_id)
                session.add(Account(account_id=account_id, name=f"Co {n}", tier=tier, industry=["SaaS", "Retail"][n % 2],
                                    region=["East", "North", "South"][n % 3], type="direct",
                                    created_at=START - timedelta(days=400)))
    return ids


def events_table(rows: list[tuple[str, datetime, str]], prefix: str) -> pa.Table:
    return pa.table({
        "event_id": [f"{prefix}{i}" for i in range(len(rows))],
        "ts": pa.array([r[1] for r in rows], pa.timestamp("us")),
        "account_id": [r[0] for r in rows],
        "user_id": [f"{r[0]}-U1" for r in rows],
        "event": [r[2] for r in rows],
        "properties": ["{}"] * len(rows),
    })


def planted_experiment(ws, effect: float = 2.0, seed: int = 7, key: str = "onboarding") -> dict:
    add_accounts(ws)
    registry.create_experiment(ws, ExperimentCreate(
        key=key, hypothesis="An onboarding call raises 30-day activity", stratify_by="tier",
        metrics={"primary": [{"name": "logins", "type": "count", "events": ["login"], "window_days": 30}],
                 "secondary": [{"name": "active", "type": "proportion", "events": ["login"], "window_days": 30},
                               {"name": "reports_per_login", "type": "ratio", "events": ["run_report"],
                                "denominator_events": ["login"], "window_days": 30}]},
        roi={"metric": "logins", "cost_per_treated_unit": 10.0},
    ), by="tester")
    registry.start(ws, key, at=START)
    rng = np.random.default_rng(seed)
    rows = []
    level = {"A": 12.0, "B": 6.0, "C": 2.0}
    tiers = {}
    with ws.store.read() as session:
        for acc in session.query(Account):
            tiers[acc.account_id] = acc.tier
    truth = {}
    for a in stored_assignments(ws, key):
        lam = rng.gamma(4.0, level[tiers[a["unit_id"]]] / 4.0)
        pre = rng.poisson(lam)
        post = rng.poisson(lam + (effect if a["variant"] == "treatment" else 0.0))
        truth[a["unit_id"]] = (pre, post)
        for _ in range(pre):
            rows.append((a["unit_id"], START - timedelta(days=float(rng.uniform(0.01, 29.9))), "login"))
        for _ in range(post):
            rows.append((a["unit_id"], START + timedelta(days=float(rng.uniform(0.01, 29.9))), "login"))
        for _ in range(rng.poisson(0.5 * post)):
            rows.append((a["unit_id"], START + timedelta(days=float(rng.uniform(0.01, 29.9))), "run_report"))
    ws.events.ingest_arrow(events_table(rows, "P"))
    return truth


CAMPAIGN_START = datetime(2026, 5, 1)


def planted_campaign(ws, effect: float = 0.5, seed: int = 11, trend: float = 1.2, diverge: float = 0.0) -> list[str]:
    """A non-randomised campaign: busier accounts were more likely to get it (selection on level).

    Account i logs in at λᵢ/day over the 56 pre days and trend·λᵢ (+ effect if treated) per day over
    the 28 post days; `diverge` adds a treated-only pre-period drift (+diverge·week/day) to break
    parallel trends. The true DiD effect is `effect` logins per account per day.
    """
    ids = add_accounts(ws, tiers={"A": 60, "B": 140, "C": 200}, prefix="CMP")
    rng = np.random.default_rng(seed)
    lam = rng.gamma(3.0, 0.4, len(ids))
    treated = rng.random(len(ids)) < np.where(lam > np.median(lam), 0.5, 0.15)
    pre_start = CAMPAIGN_START - timedelta(days=56)
    accounts, offsets = [], []
    for week in range(8):  # whole arrays: one Poisson draw per account and week
        rate = lam + np.where(treated, diverge * week, 0.0)
        counts = rng.poisson(rate * 7)
        accounts.append(np.repeat(np.arange(len(ids)), counts))
        offsets.append(week * 7 + rng.uniform(0, 7, counts.sum()))
    counts = rng.poisson((trend * lam + np.where(treated, effect, 0.0)) * 28)
    accounts.append(np.repeat(np.arange(len(ids)), counts))
    offsets.append(56 + rng.uniform(0, 28, counts.sum()))
    who, days = np.concatenate(accounts), np.concatenate(offsets)
    epoch = np.datetime64(pre_start, "us")
    account_of = np.array(ids)[who]
    table = pa.table({
        "event_id": pa.array(np.char.add("C", np.arange(len(who)).astype(str))),
        "ts": pa.array(epoch + (days * 86_400e6).astype("timedelta64[us]"), pa.timestamp("us")),
        "account_id": pa.array(account_of),
        "user_id": pa.array(np.char.add(account_of, "-U1")),
        "event": pa.array(np.full(len(who), "login")),
        "properties": pa.array(np.full(len(who), "{}")),
    })
    ws.events.ingest_arrow(table)
    return [a for a, t in zip(ids, treated) if t]
