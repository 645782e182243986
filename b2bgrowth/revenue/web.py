"""Revenue and retention dashboard: /dashboard (filters, KPI cards, charts) and /dashboard/drill.

Every figure on the page comes from the registry reports ("revenue", "cohorts", "nps") run with
the filter values, exactly as `GET /api/v1/reports/…` would return them; the page only lays them
out. The chart code (static/dashboard.js) reads the same report rows from JSON embedded in the
page. A click on a bar, point or KPI card asks /dashboard/drill for the rows behind that number
(revenue.drilldown.rows_behind) and shows them in a side panel.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request

from b2bgrowth import i18n
from b2bgrowth.i18n.labels import N_
from b2bgrowth.revenue.facts import data_range
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.filters import (
    NO_SEGMENT_VALUE,
    PERIOD_LABELS,
    PERIODS,
    SEGMENT_LABELS,
    SEGMENTS,
    Filters,
    is_htmx,
    parse_date,
    read_filters,
)
from b2bgrowth.web.format import DASHBOARD_LABELS, dashboard_chart_labels, money
from b2bgrowth.web.reports import run_report
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)

# What a drill-down can show: the metrics revenue.drilldown.rows_behind knows.
DRILL_METRICS = {key: DASHBOARD_LABELS[key] for key in (
    "new", "expansion", "contraction", "churn", "reactivation", "mrr_start", "mrr_end", "customers", "renewals_due",
    "renewals_renewed")}
# Metrics whose number is a count of rows, not a sum of amounts.
COUNT_METRICS = ("customers", "renewals_due", "renewals_renewed")


def dashboard_data(ws: Workspace, filters: Filters) -> dict:
    """The report rows the page and its charts show; each report runs once per shape needed."""
    errors = filters.errors
    base = filters.report_params()
    revenue = run_report(ws, "revenue", errors, **base) or {"periods": []}
    nps = run_report(ws, "nps", errors, **base) or {"periods": []}
    cohorts = run_report(ws, "cohorts", errors, **{"from": base["from"], "to": base["to"]}) or {"cohorts": []}
    by_segment = nps_by_segment = None
    if filters.segment:
        by_segment = (run_report(ws, "revenue", errors, **base, segment=filters.segment) or {"periods": []})["periods"]
        nps_by_segment = (run_report(ws, "nps", errors, **base, segment=filters.segment) or {"periods": []})["periods"]
    periods = revenue["periods"]
    last = periods[-1] if periods else None
    previous = periods[-2] if len(periods) > 1 else None
    last_nps = nps["periods"][-1] if nps["periods"] else None
    segment_rows = [row for row in (by_segment or []) if last and row["period_start"] == last["period_start"]]
    return {
        "periods": periods, "last": last, "previous": previous, "last_nps": last_nps,
        "nps": nps["periods"], "cohorts": cohorts.get("cohorts", []),
        "by_segment": by_segment, "nps_by_segment": nps_by_segment,
        "segment_rows": sorted(segment_rows, key=lambda r: -(r.get("mrr_end") or 0)),
    }


@router.get("/dashboard")
def dashboard(
    request: Request, ws: WorkspaceDep, user: PageUser,
    period: str = Query("month", max_length=20), start: str | None = Query(None, alias="from", max_length=40),
    end: str | None = Query(None, alias="to", max_length=40), segment: str = Query("", max_length=40),
):
    filters = read_filters(period, start, end, segment, data_range(ws))
    data = dashboard_data(ws, filters)
    currency = ws.settings.reporting_currency
    chart_config = {
        "period": filters.period, "segment_by": filters.segment or None, "currency": currency,
        "periods": data["periods"], "by_segment": data["by_segment"], "nps": data["nps"],
        "nps_by_segment": data["nps_by_segment"], "cohorts": data["cohorts"], "labels": dashboard_chart_labels(),
        "drill_url": "/dashboard/drill", "nps_drill_url": "/nps/responses", "no_segment_value": NO_SEGMENT_VALUE,
    }
    context = dict(
        filters=filters, periods=PERIODS, period_labels=PERIOD_LABELS, segments=SEGMENTS,
        segment_labels=SEGMENT_LABELS, data=data, chart_config=chart_config, currency=currency,
        money=lambda v, digits=0: money(v, currency, digits), drill_href=drill_href,
        no_segment_value=NO_SEGMENT_VALUE,
    )
    if is_htmx(request):  # htmx swaps only 2xx answers: the error shows inside the partial
        return render(request, "revenue/_dashboard_body.html", **context)
    return render(request, "revenue/dashboard.html", status_code=400 if filters.errors else 200, **context)


def drill_href(metric: str, row: dict, segment_by: str | None = None) -> str:
    params = {"metric": metric, "period_start": row["period_start"], "period_end": row["period_end"]}
    if segment_by:
        params["segment_by"] = segment_by
        params["segment"] = NO_SEGMENT_VALUE if row.get("segment") is None else row["segment"]
    return "/dashboard/drill?" + urlencode(params)


def drill_rows(ws: Workspace, metric: str, start: date, end: date, segment_by: str | None,
               segment: str | None) -> list[dict]:
    from b2bgrowth.revenue.drilldown import rows_behind

    return rows_behind(ws, metric, start, end, segment_by=segment_by, segment=segment)


# Columns shown first, in this order; any other keys rows_behind adds follow them, "amount" last.
DRILL_COLUMNS = {
    "date": N_("Date"), "kind": N_("Movement"), "product": N_("Product"), "subscription_id": N_("Subscription"),
    "since": N_("Paying since"), "renewed_after_days": N_("Renewed after (days)"), "mrr_before": N_("MRR before"),
    "mrr_after": N_("MRR after"), "mrr": N_("MRR"), "amount": N_("Amount"),
}
HIDDEN_COLUMNS = ("account_id", "account_name", "segment", "segment_by")
MONEY_COLUMNS = ("amount", "mrr_before", "mrr_after", "mrr", "arr", "mrr_start", "mrr_end")
# What "amount" is for each kind of metric (rows_behind: movement size, MRR, or a renewal's ARR).
AMOUNT_LABELS = {"mrr_start": N_("MRR"), "mrr_end": N_("MRR"), "customers": N_("MRR"),
                 "renewals_due": N_("ARR"), "renewals_renewed": N_("ARR")}


def drill_columns(metric: str, rows: list[dict]) -> list[str]:
    seen = list(dict.fromkeys(key for row in rows for key in row))
    hidden = set(HIDDEN_COLUMNS)
    if metric in ("mrr_start", "mrr_end", "customers"):
        hidden.add("mrr")  # the same number as the amount
    ordered = [k for k in DRILL_COLUMNS if k in seen and k != "amount" and k not in hidden]
    extra = [k for k in seen if k not in DRILL_COLUMNS and k not in hidden]
    return ordered + extra + (["amount"] if "amount" in seen else [])


@router.get("/dashboard/drill")
def dashboard_drill(
    request: Request, ws: WorkspaceDep, user: PageUser,
    metric: str = Query(..., max_length=40), period_start: str = Query(..., max_length=40),
    period_end: str = Query(..., max_length=40), segment_by: str | None = Query(None, max_length=40),
    segment: str | None = Query(None, max_length=200),
):
    errors: list[str] = []
    if metric not in DRILL_METRICS:
        errors.append(i18n.gettext("metric: %(value)s is not one of %(choices)s", value=metric,
                                   choices=", ".join(DRILL_METRICS)))
    if segment_by and segment_by not in SEGMENTS:
        errors.append(i18n.gettext("segment: %(value)s is not one of %(choices)s", value=segment_by,
                                   choices=", ".join(SEGMENTS)))
    start, end = parse_date(period_start, "period_start", errors), parse_date(period_end, "period_end", errors)
    if start and end and start > end:
        errors.append(i18n.gettext("from (%(start)s) is after to (%(end)s)", start=period_start, end=period_end))
    rows: list[dict] = []
    if not errors:
        segment_value = None if segment == NO_SEGMENT_VALUE else segment
        try:
            rows = drill_rows(ws, metric, start, end, segment_by or None, segment_value if segment_by else None)
        except ValueError as exc:
            errors.append(str(exc))
    currency = ws.settings.reporting_currency
    context = dict(
        metric=metric, metric_label=DRILL_METRICS.get(metric, metric), period_start=period_start,
        period_end=period_end, segment_by=segment_by, segment=segment, no_segment_value=NO_SEGMENT_VALUE,
        segment_label=SEGMENT_LABELS.get(segment_by or "", segment_by), rows=rows, columns=drill_columns(metric, rows),
        column_labels=dict(DRILL_COLUMNS, amount=AMOUNT_LABELS.get(metric, DRILL_COLUMNS["amount"])),
        column_kinds=DRILL_METRICS, money_columns=MONEY_COLUMNS, errors=errors,
        in_panel=is_htmx(request),
        total=sum(float(r.get("amount") or 0) for r in rows), is_count=metric in COUNT_METRICS,
        money=lambda v, digits=0: money(v, currency, digits),
    )
    if is_htmx(request):
        return render(request, "revenue/_drill.html", **context)
    return render(request, "revenue/drill.html", status_code=400 if errors else 200, **context)


def register_web(web) -> None:
    web.add_router(router)
    web.add_nav("/dashboard", "Revenue & retention", order=10)
    from b2bgrowth.revenue import web_account  # the account page's revenue panel

    web_account.register(web)
