"""The results of the pipeline reports (pipeline, forecast, call-cadence, growth-model) as
pydantic models: the JSON in GET /api/v1/openapi.json, checked on every run (reporting/registry.py
`result_json`). Definitions: docs/lead-to-revenue.md. Amounts are in the reporting currency."""

from __future__ import annotations

from datetime import date
from typing import Literal

from b2bgrowth.reporting.registry import ResultModel

SizeName = Literal["small", "mid", "large"]
CallBucket = Literal["0", "1-2", "3-4", "5-6", "7-8", "9-12", "13+"]


# -- pipeline ----------------------------------------------------------------------------------
class DealMetrics(ResultModel):
    closed: int
    won: int
    lost: int
    win_rate: float | None
    won_amount: float
    avg_deal_size: float | None
    avg_cycle_days: float | None
    median_cycle_days: float | None


class OwnerDeals(ResultModel):
    owner: str | None
    closed: int
    won: int
    lost: int
    win_rate: float | None
    won_amount: float
    avg_deal_size: float | None
    avg_cycle_days: float | None
    median_cycle_days: float | None


class SegmentDeals(ResultModel):
    segment: str | None
    closed: int
    won: int
    lost: int
    win_rate: float | None
    won_amount: float
    avg_deal_size: float | None
    avg_cycle_days: float | None
    median_cycle_days: float | None


class StageConversion(ResultModel):
    stage: str
    order: int
    probability: float
    is_closed: bool
    reached: int
    advanced: int | None  # null for the last step (won)
    conversion: float | None


class OpenPipeline(ResultModel):
    count: int
    amount: float


class PipelineResult(ResultModel):
    overall: DealMetrics
    by_owner: list[OwnerDeals]
    by_segment: list[SegmentDeals]
    stages: list[StageConversion]
    open: OpenPipeline


# -- forecast ----------------------------------------------------------------------------------
class ForecastMonth(ResultModel):
    month: str  # YYYY-MM
    open_opportunities: int
    pipeline_amount: float
    weighted: float
    history_based: float


class OwnerForecast(ResultModel):
    owner: str | None
    month: str
    pipeline_amount: float
    weighted: float
    history_based: float


class SegmentForecast(ResultModel):
    segment: str | None
    month: str
    pipeline_amount: float
    weighted: float
    history_based: float


class ForecastResult(ResultModel):
    months: list[ForecastMonth]
    by_owner: list[OwnerForecast]
    by_segment: list[SegmentForecast]
    undated: int  # open opportunities without a close date
    as_of: date


# -- call-cadence ------------------------------------------------------------------------------
class CadenceCell(ResultModel):
    size: SizeName
    bucket: CallBucket
    closed: int
    won: int
    win_rate: float | None
    ci_low: float | None
    ci_high: float | None
    revenue: float


class CadenceBest(ResultModel):
    size: SizeName
    bucket: CallBucket | None
    win_rate: float | None
    ci_low: float | None
    ci_high: float | None
    closed: int
    seed_calls: int


class SeedCalls(ResultModel):
    small: int
    mid: int
    large: int


class CadenceResult(ResultModel):
    buckets: list[CallBucket]
    sizes: list[SizeName]
    cells: list[CadenceCell]
    best: list[CadenceBest]
    seeds: SeedCalls
    unknown_size: int


# -- growth-model ------------------------------------------------------------------------------
class GrowthNote(ResultModel):
    en: str
    zh_CN: str


class GrowthAdvice(ResultModel):
    team: str
    channels: str
    playbook: str


class GrowthCallsFor(ResultModel):
    en: GrowthAdvice
    zh_CN: GrowthAdvice


class GrowthSegment(ResultModel):
    segment: str | None
    accounts: int
    acv_median: float | None
    cycle_days_median: float | None
    model: Literal["hacker", "r2r", "missile"] | None
    exact: bool
    note: GrowthNote | None
    calls_for: GrowthCallsFor | None


class GrowthModelResult(ResultModel):
    segments: list[GrowthSegment]
