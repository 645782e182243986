"""The results of the channel reports (channels, attribution) as pydantic models: the JSON in
GET /api/v1/openapi.json, checked on every run (reporting/registry.py `result_json`).
Definitions: docs/metrics.md § Channel report and docs/lead-to-revenue.md."""

from __future__ import annotations

from typing import Literal

from b2bgrowth.reporting.registry import ResultModel


class ChannelRoi(ResultModel):
    channel: str | None  # null: leads without a channel
    leads: int
    mqls: int
    sqls: int
    opportunities: int
    won: int
    won_amount: float
    cost: float
    cpl: float | None
    cost_per_mql: float | None
    cac: float | None
    roi: float | None


class ChannelsResult(ResultModel):
    channels: list[ChannelRoi]


class ChannelCredit(ResultModel):
    channel: str | None
    leads: float  # fractional credit under linear / position-based models
    won: float
    won_revenue: float


class CampaignCredit(ResultModel):
    campaign_id: str | None
    channel: str | None
    leads: float
    won: float
    won_revenue: float


class AttributionResult(ResultModel):
    model: Literal["first_touch", "last_touch", "linear", "position_based"]
    channels: list[ChannelCredit]
    campaigns: list[CampaignCredit]
