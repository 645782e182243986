"""The renewal pipeline as of a date: contracts coming due, their likelihood, and the quarter forecast.

Contracts are the Foundation's chains (revenue/facts.py compute_chains) on the subscription rows
with start_date ≤ as_of; "due in (D, D + N]" excludes a chain due on D itself and includes D + N.
ARR = the chain's last row MRR (reporting currency) × 12. likelihood_to_renew = 1 − churn_risk of
the account (risk_at). Forecast definitions with a worked example: docs/metrics.md
§Customer success — renewals.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.reporting.jsonable import plain
from b2bgrowth.revenue.api import UNITS, chains_due_after, compute_chains, from_day, to_day
from b2bgrowth.success.risk.examples import NO_PRODUCT

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

HISTORY_DAYS = 365


def known_rows(ws: Workspace, as_of: date) -> pd.DataFrame:
    from b2bgrowth.success.signals import signal_inputs

    rows = signal_inputs(ws).rows  # load_subscription_rows(ws), kept per store revision
    return rows[rows["start"] <= to_day(as_of)].reset_index(drop=True)


def due_chains(rows: pd.DataFrame, as_of: date, until: date) -> pd.DataFrame:
    """Chains (on `rows`, already cut at as_of) due in (as_of, until], with arr and due_date."""
    chains = chains_due_after(rows, to_day(as_of), to_day(until) - to_day(as_of))  # = compute_chains' due ones
    chains["due_date"] = [from_day(d) for d in chains["due_day"].tolist()]
    chains["arr"] = chains["units"].to_numpy(dtype="float64") * 12 / UNITS
    return chains.sort_values(["due_day", "account_id", "subscription_id"], kind="stable").reset_index(drop=True)


def account_scores(ws: Workspace, as_of: date, account_ids) -> pd.DataFrame:
    """[account_id, name, tier, owner, health_score, health_color, churn_risk, reasons, method] for the accounts."""
    from b2bgrowth.success.health import health_at
    from b2bgrowth.success.risk import risk_at
    from b2bgrowth.success.signals import account_signals

    wanted = list(dict.fromkeys(map(str, account_ids)))
    # Only the accounts asked for: every signal, health score and risk is per account (the
    # fallback's "never used" term reads usage_recorded), so a subset scores as the whole.
    signals = account_signals(ws, as_of, accounts=wanted)
    risk = risk_at(ws, as_of, signals=signals).set_index("account_id")
    out = pd.DataFrame({"account_id": pd.Series(wanted, dtype=object)})
    attrs = signals.set_index("account_id")
    for column in ("name", "tier", "owner"):
        out[column] = out["account_id"].map(attrs[column]) if column in attrs.columns else None
    out["health_score"], out["health_color"] = None, None
    if len(signals):
        # Score and colour only: no trend, so the signals of 30 days earlier are not computed.
        health = health_at(ws, as_of, signals=signals, previous_signals=signals.iloc[0:0],
                           breakdown=False).set_index("account_id")
        out["health_score"] = out["account_id"].map(health["health_score"])
        out["health_color"] = out["account_id"].map(health["health_color"])
    for column in ("churn_risk", "reasons", "method"):
        out[column] = out["account_id"].map(risk[column]) if len(risk) else None
    return out


def renewals(ws: Workspace, as_of: date, days: int = 90) -> list[dict]:
    """One dict per chain due in (as_of, as_of + days], earliest first."""
    chains = due_chains(known_rows(ws, as_of), as_of, as_of + timedelta(days=days))
    if chains.empty:
        return []
    scores = account_scores(ws, as_of, chains["account_id"])
    by_account = dict(zip(scores["account_id"], scores.to_dict("records")))  # not a .loc per contract
    out = []
    for chain in chains.itertuples():
        s = by_account[chain.account_id]
        risk = plain(s["churn_risk"])
        out.append({
            "account_id": chain.account_id, "name": plain(s["name"]), "subscription_id": chain.subscription_id,
            "product": plain(chain.product), "due_date": chain.due_date.isoformat(), "arr": round(float(chain.arr), 2),
            "tier": plain(s["tier"]), "owner": plain(s["owner"]),
            "health_score": plain(s["health_score"]), "health_color": plain(s["health_color"]),
            "churn_risk": risk, "likelihood_to_renew": None if risk is None else round(1 - float(risk), 4),
            "reasons": list(s["reasons"]) if isinstance(s["reasons"], (list, np.ndarray)) else [],
        })
    return out


# -- forecast ---------------------------------------------------------------------------------

def quarter_windows(as_of: date, quarters: int) -> list[tuple[str, date, date]]:
    """Calendar quarters from the one holding as_of + 1: (label, first day counted, last day); the first is partial."""
    out = []
    start = as_of + timedelta(days=1)
    for _ in range(quarters):
        q = (start.month - 1) // 3
        end_month = 3 * q + 3
        last = (date(start.year + (end_month == 12), end_month % 12 + 1, 1) - timedelta(days=1))
        out.append((f"{start.year}Q{q + 1}", start, last))
        start = last + timedelta(days=1)
    return out


def renewal_ratios(rows: pd.DataFrame, as_of: date, grace: int) -> dict:
    """Of the chains due in the 365 days before as_of − grace that renewed: ARR kept and ARR after renewal.

    gross_ratio = Σ min(renewed, due) ÷ Σ due; net_ratio = Σ renewed ÷ Σ due (renewed = the account's
    MRR of that product on the first day of the renewal). 1.0 each when no renewal is known yet.
    """
    last = to_day(as_of) - grace
    chains = compute_chains(rows)
    chains = chains[(chains["due_day"] <= last) & (chains["due_day"] > last - HISTORY_DAYS)
                    & (chains["renewal_gap"] <= grace)].copy()
    if chains.empty:
        return {"renewed_contracts": 0, "gross_ratio": 1.0, "net_ratio": 1.0}
    key = lambda f: f["product"].astype(object).where(f["product"].notna(), NO_PRODUCT)  # noqa: E731
    chains["product_key"] = key(chains)
    candidates = rows[["account_id", "start", "end", "units"]].assign(product_key=key(rows))
    chains["renewal_day"] = chains["due_day"] + chains["renewal_gap"].astype("int64")
    pairs = chains[["chain", "account_id", "product_key", "renewal_day"]].merge(
        candidates, on=["account_id", "product_key"])
    active = pairs[(pairs["start"] <= pairs["renewal_day"]) & (pairs["end"] > pairs["renewal_day"])]
    renewed = active.groupby("chain")["units"].sum().reindex(chains["chain"]).fillna(0).to_numpy(dtype="float64")
    due = chains["units"].to_numpy(dtype="float64")
    return {"renewed_contracts": int(len(chains)),
            "gross_ratio": round(float(np.minimum(renewed, due).sum() / due.sum()), 4),
            "net_ratio": round(float(renewed.sum() / due.sum()), 4)}


def renewal_forecast(ws: Workspace, as_of: date, quarters: int = 4, grace: int = 30) -> dict:
    rows = known_rows(ws, as_of)
    windows = quarter_windows(as_of, quarters)
    chains = due_chains(rows, as_of, windows[-1][2])
    ratios = renewal_ratios(rows, as_of, grace)
    likelihood = pd.Series(dtype="float64")
    if not chains.empty:
        from b2bgrowth.success.risk import risk_at

        risk = risk_at(ws, as_of).set_index("account_id")["churn_risk"]
        likelihood = 1 - chains["account_id"].map(risk).astype("float64")
    out = []
    for label, first, last in windows:
        mask = (chains["due_day"] >= to_day(first)) & (chains["due_day"] <= to_day(last)) if len(chains) else []
        part = chains[mask] if len(chains) else chains
        arr = part["arr"].to_numpy(dtype="float64") if len(part) else np.zeros(0)
        like = likelihood[mask].fillna(1.0).to_numpy(dtype="float64") if len(part) else np.zeros(0)
        due = float(arr.sum())
        expected = float((arr * like).sum())
        out.append({
            "quarter": label, "from": first.isoformat(), "to": last.isoformat(), "contracts": int(len(part)),
            "arr_due": round(due, 2), "expected_renewed_arr": round(expected, 2),
            "expected_churned_arr": round(due - expected, 2),
            "forecast_grr": round(expected * ratios["gross_ratio"] / due, 4) if due else None,
            "forecast_nrr": round(expected * ratios["net_ratio"] / due, 4) if due else None,
        })
    return {"as_of": as_of.isoformat(), "quarters": out, "history": ratios, "grace_days": grace}
