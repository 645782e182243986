"""The results of the survey reports (surveys, survey, nps-breakdown, verbatims) as pydantic
models: the JSON in GET /api/v1/openapi.json, checked on every run (reporting/registry.py
`result_json`). Definitions: docs/metrics.md § Customer success — NPS surveys."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from b2bgrowth.reporting.registry import ResultModel
from b2bgrowth.voc.results import NpsPeriod

Band = Literal["promoters", "passives", "detractors"]
FilterKey = Literal["tier", "stage", "type", "owner", "role"]


class SurveySummary(ResultModel):
    survey_id: str
    name: str
    status: Literal["draft", "open", "closed"]
    question_zh: str
    question_en: str
    follow_up_zh: str | None
    follow_up_en: str | None
    opens_on: date | None
    closes_on: date | None
    created_at: datetime
    created_by: str | None
    filters: dict[FilterKey, list[str]]  # the recipient filter last applied, in the order given
    recipients: int
    responded: int
    response_rate: float | None
    responses: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None


class SurveySegment(ResultModel):
    segment: str | None
    recipients: int
    responded: int
    response_rate: float | None
    responses: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None


class SurveyDetail(SurveySummary):
    by_tier: list[SurveySegment]
    by_role: list[SurveySegment]


class SurveysResult(ResultModel):
    surveys: list[SurveySummary]


class SurveyResult(ResultModel):
    survey: SurveyDetail


class NpsBreakdownResult(ResultModel):
    periods: list[NpsPeriod]  # segment: the tier, role or stage (--by)


class Verbatim(ResultModel):
    response_id: str
    at: datetime
    score: int
    band: Band
    comment: str
    account_id: str | None
    account_name: str | None
    tier: str | None
    contact_id: str | None
    contact_name: str | None
    role: str | None
    survey_id: str | None


class VerbatimsResult(ResultModel):
    total: int
    verbatims: list[Verbatim]
