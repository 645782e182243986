"""Onboarding progress (issue 4, item 3): which milestones each new customer reached, and when.

For every account in scope and every active milestone (b2bgrowth.success.onboarding_config):

    due_date   first paid day + target_days
    done_date  the first day the milestone's condition held, counting only events on or after
               the first paid day (onboarding is what happens after the purchase; trial usage
               before it does not count) and on or before as_of (events with ts < as_of + 1 day)
    status     done (done_date set) | overdue (not done and as_of > due_date) | pending

Scope: "onboarding" (default) = accounts paying on as_of in their first 90 days (the
onboarding stage); "all" = every account paying on as_of (older accounts' completed / overdue
status). Everything is point in time: subscription rows with start_date ≤ as_of, events
dated ≤ as_of. One DuckDB query per milestone over the event store, limited to the accounts in
scope and to dates from the earliest first paid day among them (partition pruning).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import duckdb
import pandas as pd
from pydantic import Field

from b2bgrowth.reporting.registry import Report, ReportParams
from b2bgrowth.success.lifecycle import ONBOARDING_DAYS, paying_facts
from b2bgrowth.success.onboarding_config import Milestone, load_milestones
from b2bgrowth.success.results import OnboardingResult

COLUMNS = ["account_id", "milestone_id", "name", "due_date", "done_date", "status", "first_paid_day"]
STATUSES = ("done", "pending", "overdue")


def accounts_in_scope(ws, as_of: date, scope: str = "onboarding") -> pd.DataFrame:
    """[account_id, first_paid_day] of accounts paying on as_of (and in their first 90 days)."""
    if scope not in ("onboarding", "all"):
        raise ValueError(f"scope: 'onboarding' or 'all', got {scope!r}")
    facts = paying_facts(ws, as_of)
    facts = facts[facts["paying"]]
    if scope == "onboarding":
        days = pd.Series([(as_of - d).days for d in facts["first_paid_day"]], index=facts.index, dtype="int64")
        facts = facts[days < ONBOARDING_DAYS]
    return facts[["account_id", "first_paid_day"]].reset_index(drop=True)


def _milestone_sql(m: Milestone) -> tuple[str, list]:
    """SELECT account_id, done (DATE) over `ev` (events of the accounts in scope, from first paid day)."""
    if m.kind == "event":
        # The day the threshold-th distinct user first did the event (threshold 1 = first occurrence;
        # events without a user count as one anonymous user).
        return ("""
            WITH firsts AS (
                SELECT account_id, coalesce(user_id, '') AS who, min(date) AS d FROM ev WHERE event = ? GROUP BY 1, 2),
            ranked AS (SELECT account_id, d, row_number() OVER (PARTITION BY account_id ORDER BY d) AS n FROM firsts)
            SELECT account_id, d AS done FROM ranked WHERE n = ?""", [m.event, m.threshold])
    if m.kind == "event_count":
        return ("""
            WITH ranked AS (SELECT account_id, date AS d,
                                   row_number() OVER (PARTITION BY account_id ORDER BY ts, event_id) AS n
                            FROM ev WHERE event = ?)
            SELECT account_id, d AS done FROM ranked WHERE n = ?""", [m.event, m.threshold])
    # active_users: the first day d on which ≥ threshold distinct users were active in [d − window + 1, d].
    event_filter = "AND event = ?" if m.event else ""
    args = [m.event] if m.event else []
    return (f"""
        WITH act AS (SELECT DISTINCT account_id, user_id, date AS d FROM ev WHERE user_id IS NOT NULL {event_filter}),
        days AS (SELECT DISTINCT account_id, d FROM act),
        windows AS (
            SELECT days.account_id, days.d FROM days JOIN act
              ON act.account_id = days.account_id AND act.d BETWEEN days.d - {int(m.window_days) - 1} AND days.d
            GROUP BY days.account_id, days.d HAVING count(DISTINCT act.user_id) >= ?)
        SELECT account_id, min(d) AS done FROM windows GROUP BY account_id""", args + [m.threshold])


def milestone_done_dates(ws, accounts: pd.DataFrame, as_of: date, milestones: list[Milestone]) -> dict[str, dict]:
    """milestone_id → {account_id: done date} (only accounts that reached it)."""
    done: dict[str, dict] = {m.milestone_id: {} for m in milestones}
    if accounts.empty or not milestones:
        return done
    con = duckdb.connect()
    try:
        scope = pd.DataFrame({"account_id": accounts["account_id"].astype(str),
                              "first_paid": pd.to_datetime(accounts["first_paid_day"]).dt.date})
        con.register("scope_accounts", scope)
        source = ws.events.sql_source(con)
        earliest = min(scope["first_paid"])
        con.execute(f"""
            CREATE TEMP TABLE ev AS
            SELECT e.event_id, e.ts, e.account_id, e.user_id, e.event, e.date
            FROM {source} e JOIN scope_accounts s ON e.account_id = s.account_id
            WHERE e.date >= ? AND e.date <= ? AND e.ts < ? AND e.date >= s.first_paid""",
                    [earliest, as_of, as_of + timedelta(days=1)])
        for m in milestones:
            sql, args = _milestone_sql(m)
            for account_id, day in con.execute(sql, args).fetchall():
                done[m.milestone_id][str(account_id)] = day if isinstance(day, date) else pd.Timestamp(day).date()
    finally:
        con.close()
    return done


def onboarding_progress(ws, as_of: date, scope: str = "onboarding") -> pd.DataFrame:
    """[account_id, milestone_id, name, due_date, done_date, status, first_paid_day]: one row per
    account in scope and active milestone (see the module docstring)."""
    accounts = accounts_in_scope(ws, as_of, scope)
    milestones = load_milestones(ws)
    done = milestone_done_dates(ws, accounts, as_of, milestones)
    rows = []
    for account_id, first_paid in zip(accounts["account_id"], accounts["first_paid_day"]):
        for m in milestones:
            due = first_paid + timedelta(days=m.target_days)
            reached = done[m.milestone_id].get(account_id)
            status = "done" if reached is not None else ("overdue" if as_of > due else "pending")
            rows.append((account_id, m.milestone_id, m.name, due, reached, status, first_paid))
    return pd.DataFrame(rows, columns=COLUMNS).astype({"done_date": object})


def overdue_milestones(ws, as_of: date, scope: str = "onboarding") -> pd.DataFrame:
    """The overdue rows of onboarding_progress (what playbooks turn into onboarding tasks)."""
    progress = onboarding_progress(ws, as_of, scope)
    return progress[progress["status"] == "overdue"].reset_index(drop=True)


# -- report -----------------------------------------------------------------------------------

class OnboardingParams(ReportParams):
    as_of: date | None = Field(None, alias="as-of", description="Day of the figures (default today).")
    scope: Literal["onboarding", "all"] = Field(
        "onboarding", description="onboarding: accounts in their first 90 days; all: every paying account.")


def _account_details(ws, ids: list[str]) -> dict[str, dict]:
    from sqlalchemy import select

    from b2bgrowth.accounts.models import Account

    if not ids:
        return {}
    with ws.store.read() as session:
        rows = session.execute(select(Account.account_id, Account.name, Account.owner, Account.tier)
                               .where(Account.account_id.in_(ids))).all()
    return {a: {"name": n, "owner": o, "tier": t} for a, n, o, t in rows}


def onboarding_summary(ws, as_of: date, scope: str = "onboarding") -> dict:
    milestones = load_milestones(ws)
    progress = onboarding_progress(ws, as_of, scope)
    details = _account_details(ws, sorted(progress["account_id"].unique().tolist()))
    accounts = []
    for account_id, group in progress.groupby("account_id", sort=True):
        first_paid = group["first_paid_day"].iloc[0]
        counts = group["status"].value_counts()
        info = details.get(account_id, {})
        accounts.append({
            "account_id": account_id, "name": info.get("name"), "owner": info.get("owner"), "tier": info.get("tier"),
            "first_paid_day": first_paid.isoformat(), "days_since_first_paid": (as_of - first_paid).days,
            "milestones_done": int(counts.get("done", 0)), "milestones_overdue": int(counts.get("overdue", 0)),
            "milestones_total": len(group),
            "milestones": [{"milestone_id": r.milestone_id, "name": r.name, "due_date": r.due_date.isoformat(),
                            "done_date": r.done_date.isoformat() if r.done_date is not None else None,
                            "status": r.status} for r in group.itertuples()],
        })
    per_milestone = []
    for m in milestones:
        rows = progress[progress["milestone_id"] == m.milestone_id]
        counts = rows["status"].value_counts()
        on_time = rows[(rows["status"] == "done") & (rows["done_date"].notna())]
        on_time = sum(1 for d, due in zip(on_time["done_date"], on_time["due_date"]) if d <= due)
        per_milestone.append({
            "milestone_id": m.milestone_id, "name": m.name, "kind": m.kind, "event": m.event,
            "threshold": m.threshold, "window_days": m.window_days, "target_days": m.target_days,
            "done": int(counts.get("done", 0)), "pending": int(counts.get("pending", 0)),
            "overdue": int(counts.get("overdue", 0)),
            "on_time_rate": round(on_time / len(rows), 4) if len(rows) else None,
        })
    total = len(progress)
    done = int((progress["status"] == "done").sum())
    return {
        "as_of": as_of.isoformat(), "scope": scope,
        "summary": {"accounts": len(accounts), "completion_rate": round(done / total, 4) if total else None,
                    "overdue": int((progress["status"] == "overdue").sum()),
                    "accounts_overdue": sum(1 for a in accounts if a["milestones_overdue"])},
        "milestones": per_milestone,
        "accounts": accounts,
    }


class OnboardingReport(Report):
    name = "onboarding"
    title = "Onboarding milestones of new customers"
    Params = OnboardingParams
    Result = OnboardingResult

    def execute(self, ws, params: OnboardingParams) -> dict:
        return onboarding_summary(ws, params.as_of or date.today(), params.scope)
