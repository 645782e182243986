"""The revenue capability's reports in the registry: revenue, cohorts, ltv.

Parameters are declared once here; the CLI (`b2bgrowth report revenue --from …`), the API
(`GET /api/v1/reports/revenue?from=…`) and `Workspace.report` are generated from them. The
heavy modules (pandas, numpy) are imported when a report runs, not when the CLI starts.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from b2bgrowth.reporting.registry import Report, ReportParams
from b2bgrowth.revenue.results import CohortsResult, LtvResult, RevenueResult

PeriodName = Literal["day", "week", "month", "quarter", "year"]


class RangeParams(ReportParams):
    from_: date = Field(alias="from", description="First day of the range (YYYY-MM-DD).")
    to: date = Field(description="Last day of the range (YYYY-MM-DD), included.")
    segment: str | None = Field(
        default=None, description="Account attribute to segment by: tier, industry, region, type, owner or a custom one.")

    @model_validator(mode="after")
    def _ordered(self):
        if self.from_ > self.to:
            raise ValueError(f"from ({self.from_.isoformat()}) is after to ({self.to.isoformat()})")
        return self


class PeriodParams(RangeParams):
    period: PeriodName = Field(default="month", description="Calendar period; ISO weeks start on Monday.")


class RevenueParams(PeriodParams):
    renewal_grace_days: int = Field(
        default=30, ge=0, le=3650, description="Days after the due date within which a renewal still counts.")


class RevenueReport(Report):
    name = "revenue"
    title = "Revenue and retention: MRR movements, NRR, GRR, churn, renewals"
    Params = RevenueParams
    Result = RevenueResult
    key_columns = ("period_start", "segment", "mrr_end", "new", "expansion", "contraction", "churn", "customers",
                   "churned_customers", "grr", "nrr", "logo_churn_rate", "renewal_rate")

    def execute(self, ws, params: RevenueParams) -> dict:
        from b2bgrowth.accounts.api import segment_of_accounts
        from b2bgrowth.reporting.periods import make_periods
        from b2bgrowth.revenue.derived import revenue_facts
        from b2bgrowth.revenue.metrics import period_metrics

        periods = make_periods(params.period, params.from_, params.to)
        segment_of = segment_of_accounts(ws, params.segment)
        movements, chains = revenue_facts(ws)
        return {"periods": period_metrics(movements, chains, periods, segment_of, params.renewal_grace_days)}


class CohortsReport(Report):
    name = "cohorts"
    title = "Cohort retention by first-paid month (logo and revenue)"
    Params = RangeParams
    Result = CohortsResult

    def execute(self, ws, params: RangeParams) -> dict:
        from b2bgrowth.accounts.api import segment_of_accounts
        from b2bgrowth.revenue.cohorts import cohort_matrix
        from b2bgrowth.revenue.derived import revenue_facts

        movements, _ = revenue_facts(ws)
        segment_of = segment_of_accounts(ws, params.segment)
        return {"cohorts": cohort_matrix(movements, params.from_, params.to, segment_of)}


class LtvReport(Report):
    name = "ltv"
    title = "LTV, CAC, LTV:CAC and CAC payback"
    Params = PeriodParams
    Result = LtvResult

    def execute(self, ws, params: PeriodParams) -> dict:
        from b2bgrowth.revenue.ltv import ltv_periods

        return {"periods": ltv_periods(ws, params.period, params.from_, params.to, params.segment)}
