"""One account's MRR history and movements, computed from its own rows (always fresh)."""

from __future__ import annotations

from b2bgrowth.revenue.facts import UNITS, compute_movements, from_day, load_subscription_rows


def _movements(ws, account_id: str):
    return compute_movements(load_subscription_rows(ws, account_id))


def account_mrr_history(ws, account_id: str) -> list[dict]:
    """The account's MRR (reporting currency) from each day it changed: [{"date", "mrr"}]."""
    return [{"date": from_day(day).isoformat(), "mrr": round(after / UNITS, 4)}
            for day, after in zip(*(_movements(ws, account_id)[c] for c in ("day", "after")))]


def account_movements(ws, account_id: str) -> list[dict]:
    """Every movement of the account: [{"date", "kind", "amount", "mrr_before", "mrr_after"}]."""
    frame = _movements(ws, account_id)
    return [
        {"date": from_day(day).isoformat(), "kind": kind, "amount": round(abs(delta) / UNITS, 4),
         "mrr_before": round(before / UNITS, 4), "mrr_after": round(after / UNITS, 4)}
        for day, kind, delta, before, after in zip(frame["day"], frame["kind"], frame["delta"], frame["before"],
                                                   frame["after"])
    ]
