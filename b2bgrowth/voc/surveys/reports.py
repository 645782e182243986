"""NPS survey reports in the registry: surveys, survey, nps-breakdown, verbatims.

Each is also `b2bgrowth report NAME --json`, GET /api/v1/reports/NAME and ws.report(NAME, …).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import Field, model_validator

from b2bgrowth.reporting.registry import Report, ReportParams
from b2bgrowth.revenue.api import PeriodName
from b2bgrowth.voc.surveys.results import (
    NpsBreakdownResult,
    SurveyResult,
    SurveysResult,
    VerbatimsResult,
)


class SurveyParams(ReportParams):
    survey: str = Field(description="Survey id.", max_length=64)


class BreakdownParams(ReportParams):
    survey: str | None = Field(default=None, description="Only this survey's answers (default: every NPS response).",
                               max_length=64)
    period: PeriodName = Field(default="quarter", description="Calendar period; ISO weeks start on Monday.")
    from_: date | None = Field(default=None, alias="from", description="First day (default: 365 days before to).")
    to: date | None = Field(default=None, description="Last day, included (default: today).")
    by: Literal["tier", "role", "stage"] = Field(
        default="tier", description="Account tier, contact role or account lifecycle stage (current values).")

    @model_validator(mode="after")
    def _range(self):
        self.to = self.to or date.today()
        self.from_ = self.from_ or self.to - timedelta(days=365)
        if self.from_ > self.to:
            raise ValueError(f"from ({self.from_.isoformat()}) is after to ({self.to.isoformat()})")
        return self


class VerbatimParams(ReportParams):
    q: str = Field(default="", description="Text the comment contains (case-insensitive; any language).",
                   max_length=200)
    band: Literal["promoters", "passives", "detractors"] | None = Field(
        default=None, description="Score band: promoters 9–10, passives 7–8, detractors 0–6.")
    survey: str | None = Field(default=None, description="Only this survey's answers.", max_length=64)
    from_: date | None = Field(default=None, alias="from", description="First day of the answers.")
    to: date | None = Field(default=None, description="Last day of the answers, included.")
    limit: int = Field(default=50, ge=1, le=1000, description="Rows to return, newest first.")
    offset: int = Field(default=0, ge=0, description="Rows to skip.")


class SurveysReport(Report):
    name = "surveys"
    title = "NPS surveys with recipients, response rate and NPS"
    Result = SurveysResult

    def execute(self, ws, params: ReportParams) -> dict:
        from b2bgrowth.voc.surveys.analysis import all_summaries

        return {"surveys": all_summaries(ws)}


class SurveyReport(Report):
    name = "survey"
    title = "One NPS survey: response rate and NPS, overall and by tier and role"
    Params = SurveyParams
    Result = SurveyResult

    def execute(self, ws, params: SurveyParams) -> dict:
        from b2bgrowth.voc.surveys.analysis import survey_summary
        from b2bgrowth.voc.surveys.service import SurveyNotFound

        try:
            return {"survey": survey_summary(ws, params.survey)}
        except SurveyNotFound as exc:
            raise ValueError(f"survey: {exc}") from None


class NpsBreakdownReport(Report):
    name = "nps-breakdown"
    title = "NPS by tier, role or lifecycle stage per period"
    Params = BreakdownParams
    Result = NpsBreakdownResult

    def execute(self, ws, params: BreakdownParams) -> dict:
        from b2bgrowth.voc.surveys.analysis import nps_breakdown
        from b2bgrowth.voc.surveys.service import SurveyNotFound

        try:
            rows = nps_breakdown(ws, params.period, params.from_, params.to, params.by, params.survey)
        except SurveyNotFound as exc:
            raise ValueError(f"survey: {exc}") from None
        return {"periods": rows}


class VerbatimsReport(Report):
    name = "verbatims"
    title = "NPS comments (verbatims) by text, score band and survey"
    Params = VerbatimParams
    Result = VerbatimsResult

    def execute(self, ws, params: VerbatimParams) -> dict:
        from b2bgrowth.voc.surveys.analysis import search_verbatims
        from b2bgrowth.voc.surveys.service import SurveyNotFound

        try:
            return search_verbatims(ws, params.q, params.band, params.survey, params.from_, params.to,
                                    params.limit, params.offset)
        except SurveyNotFound as exc:
            raise ValueError(f"survey: {exc}") from None
