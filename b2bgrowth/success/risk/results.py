"""The results of churn-model, renewals and renewal-forecast as pydantic models: the JSON in
GET /api/v1/openapi.json, checked on every run (reporting/registry.py `result_json`).
Definitions: docs/metrics.md § Customer success — renewals."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from b2bgrowth.reporting.registry import ResultModel

HealthColor = Literal["green", "yellow", "red"]


# -- churn-model -------------------------------------------------------------------------------
class ChurnFeatureWeight(ResultModel):
    feature: str
    weight: float


class ChurnCalibrationBin(ResultModel):
    bin: str  # predicted risk in tenths, "0.3-0.4"
    examples: int
    mean_predicted: float
    observed_rate: float


class ChurnEvaluation(ResultModel):
    examples: int
    churned: int
    base_rate: float | None
    auc: float | None  # null when the test examples hold one outcome only
    top_decile_precision: float | None
    calibration: list[ChurnCalibrationBin]


class ChurnBacktest(ResultModel):
    """With status insufficient_history only `status` and `message` are present."""

    status: Literal["trained", "fallback", "insufficient_history"]
    message: str
    cut: date | None = None
    train_snapshots: list[date] | None = None
    test_snapshots: list[date] | None = None
    train_examples: int | None = None
    test: ChurnEvaluation | None = None  # the model's; null when it fell back
    fallback: ChurnEvaluation | None = None
    health: ChurnEvaluation | None = None


class ChurnModelResult(ResultModel):
    as_of: date
    trained_as_of: date | None
    status: Literal["trained", "fallback"]
    message: str
    examples: int
    churned: int
    weights: list[ChurnFeatureWeight]
    backtest: ChurnBacktest


# -- renewals ----------------------------------------------------------------------------------
class Renewal(ResultModel):
    account_id: str
    name: str | None
    subscription_id: str
    product: str | None
    due_date: date
    arr: float
    tier: str | None
    owner: str | None
    health_score: float | None
    health_color: HealthColor | None
    churn_risk: float | None
    likelihood_to_renew: float | None
    reasons: list[str]


class RenewalsResult(ResultModel):
    as_of: date
    days: int
    renewals: list[Renewal]


# -- renewal-forecast --------------------------------------------------------------------------
class ForecastQuarter(ResultModel):
    quarter: str  # "2024Q3"
    from_: date = Field(alias="from")  # D + 1 for the first, partial quarter
    to: date
    contracts: int
    arr_due: float
    expected_renewed_arr: float
    expected_churned_arr: float
    forecast_grr: float | None
    forecast_nrr: float | None


class RenewalHistory(ResultModel):
    renewed_contracts: int
    gross_ratio: float
    net_ratio: float


class RenewalForecastResult(ResultModel):
    as_of: date
    quarters: list[ForecastQuarter]
    history: RenewalHistory
    grace_days: int
