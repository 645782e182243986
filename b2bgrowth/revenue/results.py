"""The results of the revenue reports (revenue, cohorts, ltv) as pydantic models.

They document the JSON (GET /api/v1/openapi.json) and check it (reporting/registry.py
`result_json`); every field is defined in docs/metrics.md. Money is in the reporting currency,
ratios are fractions; null where a denominator is 0.
"""

from __future__ import annotations

from datetime import date

from b2bgrowth.reporting.registry import ResultModel


class RevenuePeriod(ResultModel):
    period_start: date
    period_end: date
    segment: str | None  # "all" without --segment; null for accounts missing the attribute
    mrr_start: float
    new: float
    expansion: float
    contraction: float
    churn: float
    reactivation: float
    mrr_end: float
    arr: float
    customers: int
    new_customers: int
    churned_customers: int
    reactivated_customers: int
    arpa: float | None
    grr: float | None
    nrr: float | None
    logo_churn_rate: float | None
    revenue_churn_rate: float | None
    quick_ratio: float | None
    renewals_due: int
    renewals_renewed: int
    renewal_rate: float | None
    renewal_rate_arr: float | None


class RevenueResult(ResultModel):
    periods: list[RevenuePeriod]


class CohortRetention(ResultModel):
    offset: int
    logo: float | None
    revenue: float | None


class Cohort(ResultModel):
    cohort: str  # the first-paid month, YYYY-MM
    segment: str | None
    customers: int
    mrr: float
    retention: list[CohortRetention]


class CohortsResult(ResultModel):
    cohorts: list[Cohort]


class LtvPeriod(ResultModel):
    period_start: date
    period_end: date
    segment: str | None
    arpa: float | None
    customer_churn_rate: float | None
    ltv: float | None
    cac: float | None
    ltv_cac: float | None
    cac_payback_months: float | None


class LtvResult(ResultModel):
    periods: list[LtvPeriod]
