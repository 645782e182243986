"""The pipeline capability's reports: pipeline, forecast, call-cadence, growth-model.

Parameters are declared once here; CLI, API and Workspace.report are generated from them.
Heavy modules load when a report runs, not when the CLI starts.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from b2bgrowth.pipeline.results import CadenceResult, ForecastResult, GrowthModelResult, PipelineResult
from b2bgrowth.reporting.registry import Report, ReportParams


def _check_order(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise ValueError(f"from ({start.isoformat()}) is after to ({end.isoformat()})")


class PipelineParams(ReportParams):
    from_: date = Field(alias="from", description="First day of the window (YYYY-MM-DD).")
    to: date = Field(description="Last day of the window (YYYY-MM-DD), included.")
    segment: str | None = Field(default="tier", description="Account attribute to segment by (default tier).")

    @model_validator(mode="after")
    def _ordered(self):
        _check_order(self.from_, self.to)
        return self


class ForecastParams(PipelineParams):
    as_of: date | None = Field(default=None, description="Day the ages of open deals are measured at (default today).")


class CadenceParams(ReportParams):
    from_: date | None = Field(default=None, alias="from", description="Closed on or after this day (optional).")
    to: date | None = Field(default=None, description="Closed on or before this day (optional).")

    @model_validator(mode="after")
    def _ordered(self):
        _check_order(self.from_, self.to)
        return self


class GrowthParams(ReportParams):
    segment: str | None = Field(default="tier", description="Account attribute to segment by (default tier).")


class PipelineReport(Report):
    name = "pipeline"
    title = "Pipeline: win rate, deal size, cycle, stage-to-stage conversion, by owner and segment"
    Params = PipelineParams
    Result = PipelineResult

    def execute(self, ws, params: PipelineParams) -> dict:
        from b2bgrowth.pipeline.analytics import pipeline_report

        return pipeline_report(ws, params.from_, params.to, params.segment)


class ForecastReport(Report):
    name = "forecast"
    title = "Forecast by close month: weighted by stage probability and from the team's history"
    Params = ForecastParams
    Result = ForecastResult

    def execute(self, ws, params: ForecastParams) -> dict:
        from b2bgrowth.pipeline.forecast import forecast_report

        return forecast_report(ws, params.from_, params.to, params.segment, params.as_of)


class CadenceReport(Report):
    name = "call-cadence"
    title = "Call cadence: win rate and revenue by calls before close and company size"
    Params = CadenceParams
    Result = CadenceResult

    def execute(self, ws, params: CadenceParams) -> dict:
        from b2bgrowth.pipeline.cadence import cadence_report

        return cadence_report(ws, params.from_, params.to)


class GrowthModelReport(Report):
    name = "growth-model"
    title = "Growth-model diagnosis (hacker / R2R / missile) per segment"
    Params = GrowthParams
    Result = GrowthModelResult

    def execute(self, ws, params: GrowthParams) -> dict:
        from b2bgrowth.pipeline.growth_model import growth_model_report

        return growth_model_report(ws, params.segment)
