"""Reading a page's request: htmx or not, dates, date windows, period/segment filters, paging.

Every page reads its query string with these helpers, so a bad value is worded the same way on
every page (an error message in the reader's language, never a traceback) and a default window
is the same everywhere. They compute no figure: reports do (b2bgrowth.reporting.registry), the
page runs them with the values read here (b2bgrowth.web.reports.run_report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from math import ceil
from typing import NamedTuple
from urllib.parse import urlencode

from fastapi import Request
from pydantic import ValidationError

from b2bgrowth import i18n
from b2bgrowth.i18n.labels import N_

PERIODS = ("month", "quarter", "week", "year", "day")
PERIOD_LABELS = {"month": N_("Month"), "quarter": N_("Quarter"), "week": N_("Week"), "year": N_("Year"),
                 "day": N_("Day")}
# Account attributes a page may segment a report by (reporting.segments accepts any column).
SEGMENTS = ("tier", "region", "industry", "type", "owner")
SEGMENT_LABELS = {"tier": N_("Tier"), "region": N_("Region"), "industry": N_("Industry"), "type": N_("Type"),
                  "owner": N_("Owner")}
# Pages about deals and leads (pipeline, channels) leave out "owner": it would be the account's,
# not the deal's.
DEAL_SEGMENTS = ("tier", "region", "industry", "type")
NO_SEGMENT_VALUE = "__none__"  # the URL spelling of "accounts missing the attribute" (segment null)


def is_htmx(request: Request) -> bool:
    """An htmx request for a fragment; a history restore (back button, cache miss) wants the whole page."""
    return (request.headers.get("hx-request") == "true"
            and request.headers.get("hx-history-restore-request") != "true")


def parse_date(raw: str | None, name: str, errors: list[str]) -> date | None:
    """YYYY-MM-DD → date; empty → None; anything else → None with the reason added to `errors`."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors.append(i18n.gettext("%(field)s: %(value)s is not a date (use YYYY-MM-DD)", field=name, value=raw))
        return None


def read_as_of(raw: str | None, errors: list[str], name: str = "as_of") -> date:
    """The day a page's figures are as of: `raw`, or today when empty or not a date."""
    return parse_date(raw, name, errors) or date.today()


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` months before `day`'s month (negative: after)."""
    index = day.year * 12 + (day.month - 1) - months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def read_window(start: str | None, end: str | None, errors: list[str], months: int = 12,
                forward: bool = False, today: date | None = None) -> tuple[date, date]:
    """A page's [from, to]: the last `months` months up to today, or the next ones when forward."""
    today = today or date.today()
    if forward:
        default_from = today.replace(day=1)
        default_to = month_end(months_before(default_from, -(months - 1)))
    else:
        default_to, default_from = today, months_before(today, months - 1)
    names = ("forecast_from", "forecast_to") if forward else ("from", "to")
    first, last = parse_date(start, names[0], errors), parse_date(end, names[1], errors)
    first, last = first or default_from, last or default_to
    if first > last:
        errors.append(i18n.gettext("from (%(start)s) is after to (%(end)s)", start=first.isoformat(),
                                   end=last.isoformat()))
        first, last = default_from, default_to
    return first, last


@dataclass
class Filters:
    """The period / date range / segment filters of the revenue dashboard and the NPS page."""

    period: str = "month"
    start: date | None = None
    end: date | None = None
    segment: str = ""
    errors: list[str] = field(default_factory=list)

    def report_params(self) -> dict:
        return {"period": self.period, "from": self.start.isoformat(), "to": self.end.isoformat()}

    def query(self, **extra) -> str:
        params = {"period": self.period, "from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.segment:
            params["segment"] = self.segment
        params.update(extra)
        return urlencode(params)


def default_range(span: tuple[date | None, date | None], today: date | None = None) -> tuple[date, date]:
    """The last 12 months up to today; the data's last 12 months when the data ends earlier.

    `span` is the first and last day the data covers ((None, None) without data).
    """
    today = today or date.today()
    first, last = span
    end = today if last is None or last >= months_before(today, 11) else last - timedelta(days=1)
    start = months_before(end, 11)
    if first is not None and first > start and first <= end:
        start = first
    return start, end


def read_filters(period: str, start: str | None, end: str | None, segment: str,
                 span: tuple[date | None, date | None], today: date | None = None) -> Filters:
    """period / from / to / segment checked, with defaults from the data's `span` (see default_range)."""
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
    default_from, default_to = default_range(span, today)
    from_day, to_day = from_day or (default_from if not to_day else months_before(to_day, 11)), to_day or default_to
    if from_day > to_day:
        errors.append(i18n.gettext("from (%(start)s) is after to (%(end)s)", start=from_day.isoformat(),
                                   end=to_day.isoformat()))
        from_day, to_day = default_from, default_to
    return Filters(period, from_day, to_day, segment, errors)


class Paging(NamedTuple):
    page: int    # the page shown, 1 ≤ page ≤ pages
    pages: int   # at least 1, even without rows
    offset: int  # rows to skip before this page


def paging(total: int, page: int, per_page: int) -> Paging:
    """Which page of `total` rows to show, `per_page` a page; `page` is clamped into range."""
    pages = max(1, ceil(total / per_page))
    page = min(max(page, 1), pages)
    return Paging(page, pages, (page - 1) * per_page)


def validation_errors(exc: ValidationError) -> list[dict]:
    """A pydantic error as the API's 422 body: one {where, reason, input} per problem."""
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "parameters"
        out.append({"where": where, "reason": err["msg"], "input": err.get("input") if err["type"] != "missing" else None})
    return out
