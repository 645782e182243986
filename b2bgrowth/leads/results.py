"""The results of the leads and lead-model reports as pydantic models: the JSON in
GET /api/v1/openapi.json, checked on every run (reporting/registry.py `result_json`).
Definitions: docs/lead-scoring.md (scores, grade, reasons, the conversion model)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, RootModel

from b2bgrowth.leads.models import LEAD_STATUSES
from b2bgrowth.reporting.registry import ResultModel

LeadStatus = Literal[LEAD_STATUSES]  # type: ignore[valid-type]


# -- leads -------------------------------------------------------------------------------------
class LeadReason(ResultModel):
    kind: Literal["fit", "engagement", "prediction"]
    text: str
    points: float | None  # null for a prediction reason that says why there is no prediction


class LeadScore(ResultModel):
    lead_id: str
    status: LeadStatus
    fit_score: float
    engagement_score: float
    grade: str  # fit letter + engagement digit, e.g. "A1"
    predicted_conversion: float | None
    reasons: list[LeadReason]
    account_id: str | None


class LeadsResult(ResultModel):
    leads: list[LeadScore]


# -- lead-model --------------------------------------------------------------------------------
class LeadDecile(ResultModel):
    decile: int  # 1 = highest predicted
    leads: int
    converted: int
    mean_predicted: float
    rate: float
    lift: float | None


class LeadCalibrationBin(ResultModel):
    bin: str
    leads: int
    mean_predicted: float
    observed_rate: float


class LeadModelHoldout(ResultModel):
    leads: int
    converted: int
    rate: float
    mean_predicted: float


class LeadModelSplit(ResultModel):
    fit: int
    calibration: int
    holdout: int


class LeadCoefficient(ResultModel):
    feature: str
    weight: float


class TrainedLeadModel(ResultModel):
    status: Literal["trained"]
    message: str
    trained_at: datetime
    revision: dict[str, int]  # data revision of each table the model read
    auc: float
    baseline_auc: float
    holdout_leads: int
    holdout_rate: float
    mean_predicted: float
    brier: float
    deciles: list[LeadDecile]
    calibration: list[LeadCalibrationBin]
    holdout: LeadModelHoldout
    split: LeadModelSplit
    closed_leads: int
    converted: int
    calibration_method: Literal["isotonic", "sigmoid"]
    coefficients: list[LeadCoefficient]


class UntrainedLeadModel(ResultModel):
    status: Literal["insufficient_history"]
    message: str
    trained_at: datetime
    revision: dict[str, int]
    closed_leads: int
    converted: int


class LeadModelResult(RootModel[Annotated[TrainedLeadModel | UntrainedLeadModel, Field(discriminator="status")]]):
    """Trained (with the hold-out evaluation) or insufficient_history (with the counts)."""
