"""The results of the health and onboarding reports as pydantic models: the JSON in
GET /api/v1/openapi.json, checked on every run (reporting/registry.py `result_json`).
Definitions: docs/metrics.md § Customer success — health, onboarding."""

from __future__ import annotations

from datetime import date
from typing import Literal

from b2bgrowth.reporting.registry import ResultModel

HealthColor = Literal["green", "yellow", "red"]
LifecycleStage = Literal["prospect", "onboarding", "adopting", "mature", "at_risk", "churned"]


# -- health ------------------------------------------------------------------------------------
class ScorecardUsed(ResultModel):
    scorecard_id: str
    version: int
    name: str


class MeasureScore(ResultModel):
    measure: str
    label: str
    group: str
    signal: str
    value: float | None  # null = missing
    rating: Literal["good", "average", "poor"] | None  # null for linear measures and missing values
    score: float | None
    weight: float
    share: float
    contribution: float | None
    missing: bool


class AccountHealth(ResultModel):
    """The account fields after `risk_method` come from account_signals; absent without them."""

    account_id: str
    health_score: float | None
    health_color: HealthColor | None
    churn_risk: float | None
    measures: list[MeasureScore]
    reasons: list[str]
    trend: float | None
    scorecard: str
    version: int
    lifecycle_stage: LifecycleStage | None
    risk_method: Literal["model", "fallback"] | None
    name: str | None = None
    tier: str | None = None
    owner: str | None = None
    arr: float | None = None
    mrr: float | None = None
    seats: float | None = None
    next_due_date: date | None = None
    days_to_renewal: float | None = None


class HealthResult(ResultModel):
    as_of: date
    scorecards: list[ScorecardUsed]
    accounts: list[AccountHealth]


# -- onboarding --------------------------------------------------------------------------------
MilestoneStatus = Literal["done", "pending", "overdue"]


class OnboardingSummary(ResultModel):
    accounts: int
    completion_rate: float | None
    overdue: int
    accounts_overdue: int


class MilestoneTotals(ResultModel):
    milestone_id: str
    name: str
    kind: Literal["event", "event_count", "active_users"]
    event: str | None
    threshold: int
    window_days: int | None
    target_days: int
    done: int
    pending: int
    overdue: int
    on_time_rate: float | None


class AccountMilestone(ResultModel):
    milestone_id: str
    name: str
    due_date: date
    done_date: date | None
    status: MilestoneStatus


class AccountOnboarding(ResultModel):
    account_id: str
    name: str | None
    owner: str | None
    tier: str | None
    first_paid_day: date
    days_since_first_paid: int
    milestones_done: int
    milestones_overdue: int
    milestones_total: int
    milestones: list[AccountMilestone]


class OnboardingResult(ResultModel):
    as_of: date
    scope: Literal["onboarding", "all"]
    summary: OnboardingSummary
    milestones: list[MilestoneTotals]
    accounts: list[AccountOnboarding]
