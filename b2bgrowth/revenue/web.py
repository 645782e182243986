"""Revenue and retention dashboard: /dashboard (filters, KPI cards, charts) and /dashboard/drill.

Every figure on the page comes from the registry reports ("revenue", "cohorts", "nps") run with
the filter values, exactly as `GET /api/v1/reports/…` would return them; the page only lays them
out. The chart code (static/dashboard.js) reads the same report rows from JSON embedded in the
page. A click on a bar, point or KPI card asks /dashboard/drill for the rows behind that number
(revenue.drilldown.rows_behind) and shows them in a side panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from sqlalchemy import func, select

from b2bgrowth import i18n
from b2bgrowth.i18n.labels import N_
from b2bgrowth.revenue.models import Subscription
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.templating import render

router = APIRouter(include_in_schema=False)

PERIODS = ("month", "quarter", "week", "year", "day")
PERIOD_LABELS = {"month": N_("Month"), "quarter": N_("Quarter"), "week": N_("Week"), "year": N_("Year"),
                 "day": N_("Day")}
SEGMENTS = ("tier", "region", "industry", "type", "owner")
SEGMENT_LABELS = {"tier": N_("Tier"), "region": N_("Region"), "industry": N_("Industry"), "type": N_("Type"),
                  "owner": N_("Owner")}
# What a drill-down can show: the metrics revenue.drilldown.rows_behind knows.
DRILL_METRICS = {
    "new": N_("New"), "expansion": N_("Expansion"), "contraction": N_("Contraction"), "churn": N_("Churn"),
    "reactivation": N_("Reactivation"), "mrr_start": N_("MRR at start"), "mrr_end": N_("MRR at end"),
    "customers": N_("Customers"), "renewals_due": N_("Renewals due"), "renewals_renewed": N_("Renewals renewed"),
}
# Metrics whose number is a count of rows, not a sum of amounts.
COUNT_METRICS = ("customers", "renewals_due", "renewals_renewed")
NO_SEGMENT_VALUE = "__none__"  # the URL spelling of "accounts missing the attribute" (segment null)


@dataclass
class Filters:
    period: str = "month"
    start: date | None = None
    end: date | None = None
    segment: str = ""
    errors: list[str] = field(default_factory=list)

    def report_params(self) -> dict:
        params = {"period": self.period, "from": self.start.isoformat(), "to": self.end.isoformat()}
        return params

    def query(self, **extra) -> str:
        params = {"period": self.period, "from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.segment:
            params["segment"] = self.segment
        params.update(extra)
        return urlencode(params)


def money(value, currency: str = "CNY", digits: int = 0) -> str:
    """¥1,234 in both languages (Babel would write CN¥ in English); other currencies by Babel."""
    if value is None:
        return "—"
    if currency == "CNY":
        text = i18n.format_number(abs(value), digits)
        return ("-¥" if value < 0 else "¥") + text
    return i18n.format_money(value, currency, digits)


def period_label(start: str, period: str) -> str:
    """2024-03-01 → '2024-03' (month), '2024 Q1' (quarter), '2024' (year); weeks and days by their first day."""
    if period == "year":
        return start[:4]
    if period == "quarter":
        return f"{start[:4]} Q{(int(start[5:7]) - 1) // 3 + 1}"
    return start[:7] if period == "month" else start


def parse_date(raw: str | None, name: str, errors: list[str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors.append(i18n.gettext("%(field)s: %(value)s is not a date (use YYYY-MM-DD)", field=name, value=raw))
        return None


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + (day.month - 1) - months
    return date(index // 12, index % 12 + 1, 1)


def data_range(ws) -> tuple[date | None, date | None]:
    """First and last day the subscription data covers (an ongoing row runs to today)."""
    with ws.store.read() as session:
        first, last_start, last_end, ongoing = session.execute(
            select(func.min(Subscription.start_date), func.max(Subscription.start_date),
                   func.max(Subscription.end_date),
                   func.count().filter(Subscription.end_date.is_(None)))
        ).one()
    if first is None:
        return None, None
    last = max(d for d in (last_start, last_end) if d is not None)
    if ongoing:
        last = max(last, date.today())
    return first, last


def default_range(ws) -> tuple[date, date]:
    """The last 12 months up to today; the data's last 12 months when the data ends earlier."""
    today = date.today()
    first, last = data_range(ws)
    end = today if last is None or last >= months_before(today, 11) else last - timedelta(days=1)
    start = months_before(end, 11)
    if first is not None and first > start and first <= end:
        start = first
    return start, end


def read_filters(ws, period: str, start: str | None, end: str | None, segment: str) -> Filters:
    errors: list[str] = []
    if period not in PERIODS:
        errors.append(i18n.gettext("period: %(value)s is not one of %(choices)s", value=period,
                                   choices=", ".join(PERIODS)))
        period = "month"
    if segment and segment not in SEGMENTS:
        errors.append(i18n.gettext("segment: %(value)s is not one of %(choices)s", value=segment,
                                   choices=", ".join(SEGMENTS)))
        segment = ""
    from_day, to_day = parse_date(start, "from", errors), parse_date(end, "to", errors)
    default_from, default_to = default_range(ws)
    from_day, to_day = from_day or (default_from if not to_day else months_before(to_day, 11)), to_day or default_to
    if from_day > to_day:
        errors.append(i18n.gettext("from (%(start)s) is after to (%(end)s)", start=from_day.isoformat(),
                                   end=to_day.isoformat()))
        from_day, to_day = default_from, default_to
    return Filters(period, from_day, to_day, segment, errors)


def run_report(ws, name: str, errors: list[str], **params):
    """A registry report's result, or None with the reason added to `errors` (never a traceback)."""
    try:
        return ws.report(name, **params)
    except (ValueError, LookupError) as exc:  # pydantic ValidationError is a ValueError
        errors.append(f"{name}: {exc}")
        return None


def dashboard_data(ws, filters: Filters) -> dict:
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


def chart_labels() -> dict:
    """Every string the chart code shows, in the request's language."""
    names = {key: i18n.gettext(label) for key, label in DRILL_METRICS.items()}
    names.update({
        "net": i18n.gettext("Net new MRR"), "arr": i18n.gettext("ARR"), "nrr": i18n.gettext("NRR"),
        "grr": i18n.gettext("GRR"), "renewal_rate": i18n.gettext("Renewal rate"), "nps": i18n.gettext("NPS"),
        "promoters": i18n.gettext("Promoters"), "passives": i18n.gettext("Passives"),
        "detractors": i18n.gettext("Detractors"), "logo": i18n.gettext("Logo retention"),
        "revenue": i18n.gettext("Revenue retention"), "cohort": i18n.gettext("Cohort"),
        "offset": i18n.gettext("Months since first payment"), "no_segment": i18n.gettext("(none)"),
        "no_data": i18n.gettext("No data for these filters."), "responses": i18n.gettext("Responses"),
        "click_hint": i18n.gettext("Click for the rows behind the number"),
    })
    return names


@router.get("/dashboard")
def dashboard(
    request: Request, ws: WorkspaceDep, user: PageUser,
    period: str = Query("month", max_length=20), start: str | None = Query(None, alias="from", max_length=40),
    end: str | None = Query(None, alias="to", max_length=40), segment: str = Query("", max_length=40),
):
    filters = read_filters(ws, period, start, end, segment)
    data = dashboard_data(ws, filters)
    currency = ws.settings.reporting_currency
    chart_config = {
        "period": filters.period, "segment_by": filters.segment or None, "currency": currency,
        "periods": data["periods"], "by_segment": data["by_segment"], "nps": data["nps"],
        "nps_by_segment": data["nps_by_segment"], "cohorts": data["cohorts"], "labels": chart_labels(),
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


def is_htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request")) and not request.headers.get("hx-history-restore-request")


def drill_href(metric: str, row: dict, segment_by: str | None = None) -> str:
    params = {"metric": metric, "period_start": row["period_start"], "period_end": row["period_end"]}
    if segment_by:
        params["segment_by"] = segment_by
        params["segment"] = NO_SEGMENT_VALUE if row.get("segment") is None else row["segment"]
    return "/dashboard/drill?" + urlencode(params)


def drill_rows(ws, metric: str, start: date, end: date, segment_by: str | None, segment: str | None) -> list[dict]:
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
