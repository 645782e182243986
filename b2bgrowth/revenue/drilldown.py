"""The rows behind a number of the revenue report: the dashboard links every figure here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select

from b2bgrowth.accounts.api import segment_of_accounts
from b2bgrowth.accounts.models import Account
from b2bgrowth.revenue.derived import revenue_facts
from b2bgrowth.revenue.facts import KINDS, UNITS, from_day, to_day

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

BALANCES = ("mrr_start", "mrr_end", "customers")
RENEWALS = ("renewals_due", "renewals_renewed")
METRICS = KINDS + BALANCES + RENEWALS


def rows_behind(ws: Workspace, metric: str, period_start: date, period_end: date, segment_by: str | None = None,
                segment: str | None = None, renewal_grace_days: int = 30) -> list[dict]:
    """Rows whose amounts (or count, for customers and renewals) make up `metric` in the period.

    With `segment_by`, only accounts whose attribute equals `segment` (None = missing it).
    """
    if metric not in METRICS:
        raise ValueError(f"metric: unknown metric {metric!r}; one of {', '.join(METRICS)}")
    if period_start > period_end:
        raise ValueError(f"period_start ({period_start}) is after period_end ({period_end})")
    movements, chains = revenue_facts(ws)
    first, last = to_day(period_start), to_day(period_end)
    if metric in KINDS:
        rows = _movement_rows(movements[(movements["day"] >= first) & (movements["day"] <= last)
                                        & (movements["kind"] == metric)])
    elif metric in BALANCES:
        rows = _balance_rows(movements, first - 1 if metric == "mrr_start" else last)
    else:
        due = chains[(chains["due_day"] >= first) & (chains["due_day"] <= last)]
        if metric == "renewals_renewed":
            due = due[due["renewal_gap"] <= renewal_grace_days]
        rows = _renewal_rows(due)
    rows = _with_accounts(ws, rows, segment_by, segment)
    return sorted(rows, key=lambda r: (-r["amount"], r["account_id"]))


def _movement_rows(frame: pd.DataFrame) -> list[dict]:
    return [{"account_id": a, "date": from_day(d).isoformat(), "kind": k, "mrr_before": b / UNITS,
             "mrr_after": f / UNITS, "amount": abs(x) / UNITS}
            for a, d, k, b, f, x in zip(frame["account_id"], frame["day"], frame["kind"], frame["before"],
                                        frame["after"], frame["delta"])]


def _balance_rows(movements: pd.DataFrame, day: int) -> list[dict]:
    """Accounts paying at the end of `day`, with their MRR then."""
    upto = movements[movements["day"] <= day]
    accounts = upto["account_id"].to_numpy()
    last = pd.Series(accounts[1:] != accounts[:-1]).to_list() + [True] if len(accounts) else []
    latest = upto[last] if len(accounts) else upto
    latest = latest[latest["after"] > 0]
    when = from_day(day).isoformat()
    return [{"account_id": a, "date": when, "mrr": m / UNITS, "since": from_day(d).isoformat(), "amount": m / UNITS}
            for a, m, d in zip(latest["account_id"], latest["after"], latest["day"])]


def _renewal_rows(due: pd.DataFrame) -> list[dict]:
    return [{"account_id": a, "subscription_id": s, "product": p, "date": from_day(d).isoformat(),
             "renewed_after_days": None if g != g else int(g), "mrr": u / UNITS, "amount": u * 12 / UNITS}
            for a, s, p, d, g, u in zip(due["account_id"], due["subscription_id"], due["product"],
                                        due["due_day"], due["renewal_gap"], due["units"])]


def _with_accounts(ws: Workspace, rows: list[dict], segment_by: str | None, segment: str | None) -> list[dict]:
    if segment_by:
        segment_of = segment_of_accounts(ws, segment_by)
        rows = [r for r in rows if segment_of.get(r["account_id"]) == segment]
        for r in rows:
            r["segment"] = segment
    if rows:
        with ws.store.read() as session:
            names = dict(session.execute(select(Account.account_id, Account.name)).all())
        for r in rows:
            r["account_name"] = names.get(r["account_id"])
    return rows


