"""Account lifecycle stages (issue 4, item 1): prospect → onboarding → adopting → mature, at_risk, churned.

Base stage, from subscriptions only (`base_stage`):

    prospect    never paid (no subscription row with MRR > 0 starting on or before the day)
    churned     paid before, MRR on the day = 0
    onboarding  paying, day 0–89 after the first paid day (first 90 days; day 0 = first payment)
    adopting    paying, day 90–364
    mature      paying, day 365 on (a year of being a customer)

"First paid day" is the first day the account's MRR was ever > 0; a customer who churned and
came back keeps its first paid day (a returning customer is not onboarded again).

`lifecycle_stage` puts at_risk over onboarding/adopting/mature when health is red or churn
risk ≥ 0.5; prospects and churned accounts keep their base stage.

Point in time: `lifecycle_stages(ws, as_of)` reads subscription rows with start_date ≤ as_of
only (their end_date as written). `update_lifecycle_stages` writes Account.lifecycle_stage for
today; it runs as a `b2bgrowth recompute` step and from `b2bgrowth success stages --write`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.contract import RecomputeStep
from b2bgrowth.success.stages import (  # noqa: F401  (the stage rules; re-exported for callers)
    AT_RISK_CHURN,
    MATURE_DAYS,
    ONBOARDING_DAYS,
    PAYING_STAGES,
    base_stage,
    lifecycle_stage,
)

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


def paying_facts(ws: Workspace, as_of: date) -> pd.DataFrame:
    """[account_id, first_paid_day, paying, mrr] for accounts that paid on or before as_of.

    mrr is in the reporting currency (MRR on as_of: rows with start ≤ as_of < end).
    """
    from b2bgrowth.revenue.api import UNITS, from_day, load_subscription_rows, to_day

    rows = load_subscription_rows(ws)
    day = to_day(as_of)
    rows = rows[(rows["start"] <= day) & (rows["units"] > 0) & (rows["end"] > rows["start"])]
    if rows.empty:
        return pd.DataFrame({"account_id": pd.Series(dtype=object), "first_paid_day": pd.Series(dtype=object),
                             "paying": pd.Series(dtype=bool), "mrr": pd.Series(dtype="float64")})
    active = rows["end"].to_numpy() > day
    rows = rows.assign(active_units=np.where(active, rows["units"].to_numpy(), 0))
    facts = rows.groupby("account_id", sort=True).agg(first=("start", "min"), units=("active_units", "sum"))
    return pd.DataFrame({
        "account_id": facts.index.astype(str),
        "first_paid_day": [from_day(d) for d in facts["first"]],
        "paying": (facts["units"] > 0).to_numpy(),
        "mrr": (facts["units"] / UNITS).to_numpy(dtype="float64"),
    })


def lifecycle_stages(ws: Workspace, as_of: date) -> pd.DataFrame:
    """[account_id, first_paid_day, base_stage] for every account that paid on or before as_of."""
    facts = paying_facts(ws, as_of)
    stages = [base_stage(bool(p), True, (as_of - f).days) for p, f in zip(facts["paying"], facts["first_paid_day"])]
    return pd.DataFrame({"account_id": facts["account_id"], "first_paid_day": facts["first_paid_day"],
                         "base_stage": pd.Series(stages, dtype=object)}).reset_index(drop=True)


def _risk_inputs(ws: Workspace, as_of: date) -> tuple[dict, dict, list[str]]:
    """health colour and churn risk per account.

    Returns (colour by account, risk by account, names of the inputs used).
    """
    from b2bgrowth.success.health_scores import health_at
    from b2bgrowth.success.risk import risk_at

    frame = health_at(ws, as_of)
    colours = dict(zip(frame["account_id"].astype(str), frame["health_color"]))
    frame = risk_at(ws, as_of)
    risks = dict(zip(frame["account_id"].astype(str), frame["churn_risk"]))
    return colours, risks, ["health", "risk"]


def current_stages(ws: Workspace, as_of: date, with_risk: bool = True) -> tuple[dict[str, str], list[str]]:
    """account_id → lifecycle stage for every account (prospects included), and the inputs used."""
    from sqlalchemy import select

    from b2bgrowth.accounts.models import Account

    with ws.store.read() as session:
        ids = [str(a) for a in session.execute(select(Account.account_id)).scalars()]
    frame = lifecycle_stages(ws, as_of)
    base = dict(zip(frame["account_id"], frame["base_stage"]))
    colours, risks, used = _risk_inputs(ws, as_of) if with_risk else ({}, {}, [])
    stages = {a: lifecycle_stage(base.get(a, "prospect"), colours.get(a), risks.get(a)) for a in ids}
    return stages, used


def update_lifecycle_stages(ws: Workspace, as_of: date | None = None, with_risk: bool = True) -> dict:
    """Write Account.lifecycle_stage for today; returns {"changed", "stages": counts, "inputs"}."""
    from sqlalchemy import select, update

    from b2bgrowth.accounts.models import Account

    as_of = as_of or date.today()
    if as_of < date.today():
        # A recompute "as of" a past day must not rewrite today's stages (they are current values).
        return {"changed": 0, "skipped": "as_of is in the past"}
    stages, used = current_stages(ws, as_of, with_risk)
    touched: list[str] = []
    with ws.store.write(touched=touched) as session:
        now = dict(session.execute(select(Account.account_id, Account.lifecycle_stage)).all())
        changed = [{"account_id": a, "lifecycle_stage": s} for a, s in stages.items() if now.get(a) != s]
        if changed:
            session.execute(update(Account).execution_options(synchronize_session=False), changed)
            touched.append("accounts")
    counts = pd.Series(list(stages.values()), dtype=object).value_counts().to_dict() if stages else {}
    return {"changed": len(changed), "stages": {k: int(v) for k, v in counts.items()}, "inputs": used}


def _recompute_step(ws: Workspace, as_of: date | None = None) -> dict:
    from b2bgrowth.success.tiering import apply_tiers

    if as_of is not None and as_of < date.today():
        return {"skipped": "as_of is in the past"}
    return {"tiers_changed": apply_tiers(ws), "lifecycle": update_lifecycle_stages(ws, as_of)}


# Last of the built-in steps: tiers follow ARR, stages follow the fresh figures.
RECOMPUTE_STEP = RecomputeStep("tiers_and_lifecycle", _recompute_step, order=30)
