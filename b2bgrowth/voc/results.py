"""The result of the nps report as a pydantic model: the JSON in GET /api/v1/openapi.json,
checked on every run (reporting/registry.py `result_json`). Definitions: docs/metrics.md § NPS."""

from __future__ import annotations

from datetime import date

from b2bgrowth.reporting.registry import ResultModel


class NpsPeriod(ResultModel):
    period_start: date
    period_end: date
    segment: str | None  # "all" without --segment; null for responses without the attribute
    responses: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None  # −100 … 100, 2 decimals; null without responses


class NpsResult(ResultModel):
    periods: list[NpsPeriod]
