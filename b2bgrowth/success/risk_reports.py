"""Reports: churn-model (the model and its backtest), renewals, renewal-forecast.

`b2bgrowth report renewals --as-of D --days N --json` and GET /api/v1/reports/renewals come from
these declarations (reporting/registry.py). Heavy imports happen when a report runs.

Beside risk/, not in it: renewals.py uses risk/ (likelihood = 1 − churn risk), and the renewal
reports use renewals.py; from here both point one way (no cycle between success's sub-packages).
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from b2bgrowth.reporting.registry import Report, ReportParams
from b2bgrowth.success.risk.results import ChurnModelResult, RenewalForecastResult, RenewalsResult


class AsOfParams(ReportParams):
    as_of: date | None = Field(default=None, alias="as-of", description="Date the figures are as of (default today).")
    renewal_grace_days: int = Field(default=30, ge=0, le=365,
                                    description="Days after the due date within which a renewal still counts.")


class RenewalsParams(AsOfParams):
    days: int = Field(default=90, ge=1, le=3650, description="Window: contracts due in (as_of, as_of + days].")


class ForecastParams(AsOfParams):
    quarters: int = Field(default=4, ge=1, le=12, description="Calendar quarters to forecast, from the one after as_of.")


def churn_model_summary(model) -> dict:
    from b2bgrowth.success.risk.features import FEATURES

    weights = []
    if model.coef is not None:
        weights = sorted(({"feature": f, "weight": round(float(w), 4)} for f, w in zip(FEATURES, model.coef)),
                         key=lambda r: -abs(r["weight"]))
    return {"status": model.status, "message": model.message, "examples": model.examples, "churned": model.churned,
            "weights": weights, "backtest": model.backtest}


class ChurnModelReport(Report):
    name = "churn-model"
    title = "Churn model: training examples, weights and a backtest on later snapshots"
    Params = AsOfParams
    Result = ChurnModelResult

    def execute(self, ws, params: AsOfParams) -> dict:
        from b2bgrowth.success.risk.model import model_at

        as_of = params.as_of or date.today()
        model = model_at(ws, as_of, params.renewal_grace_days)
        return {"as_of": as_of.isoformat(), "trained_as_of": model.as_of.isoformat() if model.as_of else None,
                **churn_model_summary(model)}


class RenewalsReport(Report):
    name = "renewals"
    title = "Renewal pipeline: contracts due in (as_of, as_of + days] with health, risk and likelihood"
    Params = RenewalsParams
    Result = RenewalsResult

    def execute(self, ws, params: RenewalsParams) -> dict:
        from b2bgrowth.success.renewals import renewals

        as_of = params.as_of or date.today()
        rows = renewals(ws, as_of, params.days)
        return {"as_of": as_of.isoformat(), "days": params.days, "renewals": rows}


class RenewalForecastReport(Report):
    name = "renewal-forecast"
    title = "Renewal forecast by quarter: ARR due, expected renewed ARR, forecast GRR and NRR"
    Params = ForecastParams
    Result = RenewalForecastResult

    def execute(self, ws, params: ForecastParams) -> dict:
        from b2bgrowth.success.renewals import renewal_forecast

        return renewal_forecast(ws, params.as_of or date.today(), params.quarters, params.renewal_grace_days)
