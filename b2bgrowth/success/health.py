"""The `health` report: health scores (health_scores.py) with churn risk, reasons and the
lifecycle stage per paying account as of a day; fields in docs/metrics.md."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
from pydantic import Field

from b2bgrowth.reporting.jsonable import plain
from b2bgrowth.reporting.registry import Report, ReportParams
from b2bgrowth.success.health_scores import (  # noqa: F401  (health_at and friends, re-exported for callers)
    COLUMNS,
    TREND_DAYS,
    _account_signals,
    base_stages,
    health_at,
)
from b2bgrowth.success.results import HealthResult
from b2bgrowth.success.scorecards import versions


# -- the report -------------------------------------------------------------------------------------
class HealthParams(ReportParams):
    as_of: date | None = Field(default=None, alias="as-of", description="Date the figures are as of (default today).")


def _risk(ws, as_of: date, signals: pd.DataFrame) -> pd.DataFrame:
    from b2bgrowth.success.risk import risk_at

    return risk_at(ws, as_of, signals)


def _stage(base: str | None, color: str | None, risk: float | None) -> str | None:
    from b2bgrowth.success.stages import lifecycle_stage

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
RESULTS_KEPT = 8  # as_of days kept in memory and on disk


def result_key(ws, as_of: date) -> str:
    """Everything the report reads: store revisions, the events dated ≤ as_of (the trend's day is
    earlier, so covered), as_of, the workspace, the reporting currency, the code version."""
    from b2bgrowth.reporting.cache import CURRENCY
    from b2bgrowth.success.signals import INPUT_ENTITIES

    return ws.cache.key("health_report", entities=INPUT_ENTITIES + RESULT_DEPENDS_ON, events_until=as_of,
                        settings=CURRENCY, version=RESULT_VERSION, extra=as_of.isoformat())


def health_report(ws, as_of: date) -> dict:
    """The report `health`, from the cache (memory, or derived/health_report/<key>.pkl) when the
    inputs are unchanged (result_key), else computed and kept. Callers get their own copy."""
    ws.events.flush()  # as update_rollups does: buffered events become files before the key is taken
    return ws.cache.get_or_compute("health_report", result_key(ws, as_of), lambda: compute_health_report(ws, as_of),
                                   store="pickle", keep=RESULTS_KEPT, copies=True)


def health_summary(ws, as_of: date) -> dict:
    """The `health` report without each account's `measures` (the portfolio's view), kept in memory
    per result key: a page view then costs a cache-key check and fresh dicts, not unpickling the
    whole report (~2-3 s at L50, where the breakdowns are most of its 46 MB)."""
    ws.events.flush()
    key = result_key(ws, as_of)

    def summarise():
        report = health_report(ws, as_of)
        return (report["scorecards"], [{k: v for k, v in a.items() if k != "measures"} for a in report["accounts"]])

    scorecards, accounts = ws.cache.get_or_compute("health_summary", key, summarise, keep=RESULTS_KEPT)
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


class HealthReport(Report):
    name = "health"
    title = "Account health (scorecards) as of a day"
    Params = HealthParams
    Result = HealthResult

    def execute(self, ws, params: HealthParams) -> dict:
        return health_report(ws, params.as_of or date.today())
