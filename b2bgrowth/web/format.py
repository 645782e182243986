"""Figures as pages show them: money, numbers, percents, dates, period labels, chart labels.

Locale-aware formatting is b2bgrowth.i18n's (format_number, format_money, format_percent,
format_date; re-exported here); this module adds what pages need on top and registers the
template globals every template gets (`fmt_number`, `fmt_money`, `fmt_percent`, `fmt_date`).
A missing value (None) shows as "—" everywhere.
"""

from __future__ import annotations

from b2bgrowth import i18n
from b2bgrowth.i18n import format_date, format_money, format_number, format_percent
from b2bgrowth.i18n.labels import N_

__all__ = ["DASHBOARD_LABELS", "TEMPLATE_GLOBALS", "dashboard_chart_labels", "format_date", "format_money",
           "format_number", "format_percent", "money", "period_label", "register_template_globals"]


def money(value, currency: str = "CNY", digits: int = 0) -> str:
    """¥1,234 in both languages (Babel would write CN¥ in English); other currencies by Babel."""
    if value is None:
        return "—"
    if currency == "CNY":
        text = format_number(abs(value), digits)
        return ("-¥" if value < 0 else "¥") + text
    return format_money(value, currency, digits)


def period_label(start: str, period: str) -> str:
    """2024-03-01 → '2024-03' (month), '2024 Q1' (quarter), '2024' (year); weeks and days by their first day."""
    if period == "year":
        return start[:4]
    if period == "quarter":
        return f"{start[:4]} Q{(int(start[5:7]) - 1) // 3 + 1}"
    return start[:7] if period == "month" else start


# Every string web/static/dashboard.js shows (revenue dashboard and NPS page), as msgids.
DASHBOARD_LABELS = {
    "new": N_("New"), "expansion": N_("Expansion"), "contraction": N_("Contraction"), "churn": N_("Churn"),
    "reactivation": N_("Reactivation"), "mrr_start": N_("MRR at start"), "mrr_end": N_("MRR at end"),
    "customers": N_("Customers"), "renewals_due": N_("Renewals due"), "renewals_renewed": N_("Renewals renewed"),
    "net": N_("Net new MRR"), "arr": N_("ARR"), "nrr": N_("NRR"), "grr": N_("GRR"),
    "renewal_rate": N_("Renewal rate"), "nps": N_("NPS"), "promoters": N_("Promoters"), "passives": N_("Passives"),
    "detractors": N_("Detractors"), "logo": N_("Logo retention"), "revenue": N_("Revenue retention"),
    "cohort": N_("Cohort"), "offset": N_("Months since first payment"), "no_segment": N_("(none)"),
    "no_data": N_("No data for these filters."), "responses": N_("Responses"),
    "click_hint": N_("Click for the rows behind the number"),
}


def dashboard_chart_labels() -> dict:
    """DASHBOARD_LABELS in the request's language (the chart code's `labels`)."""
    return {key: i18n.gettext(msgid) for key, msgid in DASHBOARD_LABELS.items()}


TEMPLATE_GLOBALS = {"fmt_number": format_number, "fmt_money": format_money, "fmt_percent": format_percent,
                    "fmt_date": format_date}


def register_template_globals(environment) -> None:
    """The formatters every template gets (web/templating.py's environment)."""
    environment.globals.update(TEMPLATE_GLOBALS)
