"""The channel capability's reports: channels (ROI, exact contract) and attribution."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from b2bgrowth.channels.results import AttributionResult, ChannelsResult
from b2bgrowth.reporting.registry import Report, ReportParams


class WindowParams(ReportParams):
    from_: date = Field(alias="from", description="First day of the window (YYYY-MM-DD).")
    to: date = Field(description="Last day of the window (YYYY-MM-DD), included.")

    @model_validator(mode="after")
    def _ordered(self):
        if self.from_ > self.to:
            raise ValueError(f"from ({self.from_.isoformat()}) is after to ({self.to.isoformat()})")
        return self


class ChannelsReport(Report):
    name = "channels"
    title = "Channel ROI: leads, MQLs, SQLs, opportunities, won, cost, CPL, cost per MQL, CAC, ROI"
    Params = WindowParams
    Result = ChannelsResult

    def execute(self, ws, params: WindowParams) -> dict:
        from b2bgrowth.channels.roi import channel_report

        return {"channels": channel_report(ws, params.from_, params.to)}


class AttributionParams(WindowParams):
    model: Literal["first_touch", "last_touch", "linear", "position_based"] = Field(
        default="linear", description="Attribution model: first_touch, last_touch, linear or position_based (40/20/40).")


class AttributionReport(Report):
    name = "attribution"
    title = "Attribution of leads and won revenue to channels and campaigns from touches"
    Params = AttributionParams
    Result = AttributionResult

    def execute(self, ws, params: AttributionParams) -> dict:
        from b2bgrowth.channels.attribution import attribution_report

        return attribution_report(ws, params.model, params.from_, params.to)
