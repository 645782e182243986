"""Account health as of a day: the live scorecards applied to account_signals.

    health_at(ws, as_of, signals=None) -> DataFrame [account_id, scorecard_id, scorecard_version,
        health_score (0–100, 1 decimal), health_color (green|yellow|red), health_trend, measures, base_stage]

One row per account paying on `as_of` (the rows of `account_signals(ws, as_of)`, or of the
`signals` frame given). Each account is scored by the scorecard `choose` picks for its tier and
base stage (onboarding / adopting / mature: at_risk comes from health, so it cannot choose).
health_trend = score − the score the same scorecard gives the account's signals as of
as_of − 30 days (null when it was not paying or had no measure then). The live (latest) version
of each scorecard is used and named in every row.

The report `health` adds churn_risk and reasons (b2bgrowth.success.risk.risk_at) and the
lifecycle stage (b2bgrowth.success.lifecycle.lifecycle_stage); fields in docs/metrics.md.
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
import threading
import weakref
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from pydantic import Field

from b2bgrowth.reporting.jsonable import plain
from b2bgrowth.reporting.registry import Report, ReportParams, register_report
from b2bgrowth.success.scorecards import versions
from b2bgrowth.success.scorecards.scoring import choose, score_frame

TREND_DAYS = 30
COLUMNS = ["account_id", "scorecard_id", "scorecard_version", "health_score", "health_color", "health_trend",
           "measures", "base_stage"]


def _account_signals(ws, as_of: date) -> pd.DataFrame:
    from b2bgrowth.success.signals import account_signals

    return account_signals(ws, as_of)


def base_stages(signals: pd.DataFrame) -> pd.Series:
    """The base lifecycle stage per row: a `base_stage` column if the frame has one, else T's rule."""
    if "base_stage" in signals.columns:
        return signals["base_stage"].astype(object)
    from b2bgrowth.success.lifecycle import base_stage

    days = signals["days_since_first_paid"] if "days_since_first_paid" in signals.columns else pd.Series(
        [None] * len(signals), index=signals.index)
    return pd.Series([base_stage(True, True, None if pd.isna(d) else int(d)) for d in days],
                     index=signals.index, dtype=object)


def _score(cards, signals: pd.DataFrame, chosen: pd.Series, breakdown: bool = True) -> pd.DataFrame:
    """score_frame per scorecard over the rows that chose it; index as `signals`."""
    parts = []
    for card in cards:
        rows = signals[chosen == card.scorecard_id]
        if len(rows):
            parts.append(score_frame(card.definition, rows, breakdown=breakdown))
    if not parts:
        return pd.DataFrame({"health_score": pd.Series(dtype="float64"), "health_color": pd.Series(dtype=object),
                             "measures": pd.Series(dtype=object)})
    return pd.concat(parts).reindex(signals.index)


def health_at(ws, as_of: date, signals: pd.DataFrame | None = None,
              previous_signals: pd.DataFrame | None = None, breakdown: bool = True) -> pd.DataFrame:
    """Health per paying account (see the module docstring). `previous_signals` (as of
    as_of − 30 days) is computed when not given; with neither available the trend is null.
    breakdown=False leaves `measures` None (scores only: the churn backtest's use)."""
    if signals is None:
        signals = _account_signals(ws, as_of)
    if signals.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    signals = signals.reset_index(drop=True)
    cards = versions.live(ws)
    by_id = {card.scorecard_id: card for card in cards}
    stages = base_stages(signals)
    tiers = signals["tier"] if "tier" in signals.columns else pd.Series([None] * len(signals))
    pick = {}
    chosen = pd.Series([pick.setdefault((t, s), choose([c.definition for c in cards], t, s).scorecard_id)
                        for t, s in zip(tiers.where(tiers.notna(), None), stages)], index=signals.index)
    scored = _score(cards, signals, chosen, breakdown)
    out = pd.DataFrame({
        "account_id": signals["account_id"].astype(str),
        "scorecard_id": chosen,
        "scorecard_version": chosen.map(lambda i: by_id[i].version).astype("int64"),
        "health_score": scored["health_score"].astype("float64"),
        "health_color": scored["health_color"],
        "health_trend": np.nan,
        "measures": scored["measures"],
        "base_stage": stages,
    })
    if previous_signals is None:
        previous_signals = _account_signals(ws, as_of - timedelta(days=TREND_DAYS))
    if previous_signals is not None and not previous_signals.empty:
        # Like with like: the account's scorecard today scores its signals of 30 days ago.
        previous = previous_signals[previous_signals["account_id"].astype(str).isin(out["account_id"])]
        previous = previous.reset_index(drop=True)
        then_chosen = previous["account_id"].astype(str).map(dict(zip(out["account_id"], out["scorecard_id"])))
        then = _score(cards, previous, then_chosen, breakdown=False)
        past = dict(zip(previous["account_id"].astype(str), then["health_score"]))
        out["health_trend"] = (out["health_score"] - out["account_id"].map(past).astype("float64")).round(1)
    return out[COLUMNS]


# -- the report -------------------------------------------------------------------------------------
class HealthParams(ReportParams):
    as_of: date | None = Field(default=None, alias="as-of", description="Date the figures are as of (default today).")


def _risk(ws, as_of: date, signals: pd.DataFrame) -> pd.DataFrame:
    from b2bgrowth.success.risk import risk_at

    return risk_at(ws, as_of, signals)


def _stage(base: str | None, color: str | None, risk: float | None) -> str | None:
    from b2bgrowth.success.lifecycle import lifecycle_stage

    return lifecycle_stage(base, color, risk) if base else None


def _clean_column(series: pd.Series) -> list:
    """reporting.jsonable.plain over a column, with the common cases (floats, ints, str, dates) done in bulk."""
    if pd.api.types.is_float_dtype(series.dtype):
        return [v if math.isfinite(v) else None for v in series.to_numpy(dtype="float64").tolist()]
    if pd.api.types.is_integer_dtype(series.dtype) and not isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
        return series.tolist()
    kept = (str, int, date, bool)
    return [v if type(v) in kept else plain(v) for v in series.tolist()]


EXTRA_FIELDS = ("name", "tier", "owner", "arr", "mrr", "seats", "next_due_date", "days_to_renewal")


# -- the report's result, kept per input state (the portfolio page asks on every request) ----------
RESULT_VERSION = 1  # bump when the report's content or its inputs change
RESULT_DEPENDS_ON = ("scorecards", "tier_rules")  # plus the signal inputs (signals.INPUT_ENTITIES)
_RESULTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # ws -> {key: pickled report}
_RESULTS_LOCK = threading.Lock()


def result_key(ws, as_of: date) -> str:
    """Everything the report reads: store revisions, the events dated ≤ as_of (the trend's day is
    earlier, so covered), as_of, the database, the reporting currency, the code version."""
    from b2bgrowth.success.signals import INPUT_ENTITIES, events_fingerprint

    material = json.dumps({"revisions": ws.store.revisions(INPUT_ENTITIES + RESULT_DEPENDS_ON),
                           "events": events_fingerprint(ws, as_of), "as_of": as_of.isoformat(),
                           "database": ws.store.url, "data": str(ws.settings.data_dir), "currency": ws.settings.reporting_currency.upper(),
                           "version": RESULT_VERSION}, sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def health_report(ws, as_of: date) -> dict:
    """The report `health`, from the process memory or derived/health_report/<key>.pkl when the
    inputs are unchanged (result_key), else computed and kept. Callers get their own copy."""
    ws.events.flush()  # as update_rollups does: buffered events become files before the key is taken
    key = result_key(ws, as_of)
    with _RESULTS_LOCK:
        blob = _RESULTS.get(ws, {}).get(key)
    path = Path(ws.settings.derived_dir) / "health_report" / f"{key}.pkl"
    if blob is None:
        try:
            blob = path.read_bytes()
            pickle.loads(blob)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ModuleNotFoundError):
            blob = None
    if blob is None:
        blob = pickle.dumps(compute_health_report(ws, as_of))
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_suffix(f".tmp{threading.get_ident()}")
        staging.write_bytes(blob)
        staging.replace(path)
    with _RESULTS_LOCK:
        kept = _RESULTS.setdefault(ws, {})
        if len(kept) > 8:
            kept.clear()
        kept[key] = blob
    return pickle.loads(blob)


_SUMMARIES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # ws -> {key: (scorecards, accounts)}


def health_summary(ws, as_of: date) -> dict:
    """The `health` report without each account's `measures` (the portfolio's view), kept in memory
    per result key: a page view then costs a cache-key check and fresh dicts, not unpickling the
    whole report (~2-3 s at L50, where the breakdowns are most of its 46 MB)."""
    ws.events.flush()
    key = result_key(ws, as_of)
    with _RESULTS_LOCK:
        kept = _SUMMARIES.get(ws, {}).get(key)
    if kept is None:
        report = health_report(ws, as_of)
        kept = (report["scorecards"], [{k: v for k, v in a.items() if k != "measures"} for a in report["accounts"]])
        with _RESULTS_LOCK:
            summaries = _SUMMARIES.setdefault(ws, {})
            if len(summaries) > 8:
                summaries.clear()
            summaries[key] = kept
    scorecards, accounts = kept
    return {"as_of": as_of, "scorecards": [dict(c) for c in scorecards],
            "accounts": [{**a, "reasons": list(a["reasons"])} for a in accounts]}


def compute_health_report(ws, as_of: date) -> dict:
    from b2bgrowth.success.signals import signals_many

    # Both days in one pass; health_at's trend then finds as_of − 30 in the signals cache.
    signals_many(ws, [as_of, as_of - timedelta(days=TREND_DAYS)])
    signals = _account_signals(ws, as_of)
    if signals is None:
        raise ValueError("health needs account signals (b2bgrowth.success.signals), which are not installed yet")
    signals = signals.reset_index(drop=True)
    health = health_at(ws, as_of, signals)
    risk = _risk(ws, as_of, signals)
    ids = health["account_id"].astype(str)
    if risk is None:
        risk = pd.DataFrame({"account_id": ids, "churn_risk": np.nan, "reasons": None, "method": None})
    risk = risk.assign(account_id=risk["account_id"].astype(str)).set_index("account_id").reindex(ids)
    # Column by column, then one zip: per-account .loc and per-value cleaning cost ~10 s at L.
    raw_risk = _clean_column(risk["churn_risk"])
    churn = [None if v is None else round(v, 4) for v in raw_risk]
    colors, bases = _clean_column(health["health_color"]), _clean_column(health["base_stage"])
    columns = {
        "account_id": ids.tolist(),
        "health_score": _clean_column(health["health_score"]),
        "health_color": colors,
        "churn_risk": churn,
        "measures": [m or [] for m in health["measures"].tolist()],
        "reasons": [list(r) if isinstance(r, (list, tuple)) else [] for r in risk["reasons"].tolist()],
        "trend": _clean_column(health["health_trend"]),
        "scorecard": health["scorecard_id"].tolist(),
        "version": [int(v) for v in health["scorecard_version"].tolist()],
        "lifecycle_stage": [_stage(b, c, r) for b, c, r in zip(bases, colors, raw_risk)],
        "risk_method": [m if isinstance(m, str) else None for m in risk["method"].tolist()],
    }
    extras = signals.set_index(signals["account_id"].astype(str)).reindex(ids)
    for field in EXTRA_FIELDS:
        if field in extras.columns:
            columns[field] = _clean_column(extras[field])
    names = list(columns)
    accounts = [dict(zip(names, values)) for values in zip(*columns.values())]
    cards = [{"scorecard_id": v.scorecard_id, "version": v.version, "name": v.definition.name}
             for v in versions.live(ws)]
    return {"as_of": as_of, "scorecards": cards, "accounts": accounts}


@register_report
class HealthReport(Report):
    name = "health"
    title = "Account health (scorecards) as of a day"
    Params = HealthParams

    def execute(self, ws, params: HealthParams) -> dict:
        return health_report(ws, params.as_of or date.today())
