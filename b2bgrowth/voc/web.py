"""NPS pages: /nps (NPS by period and by segment, responses with verbatims and a text search)
and /nps/responses (the responses table alone: htmx search results and the dashboard's drill panel).

NPS figures come from the registry report "nps"; this module only lists the responses behind them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from sqlalchemy import func, or_, select

from b2bgrowth.accounts.models import Account
from b2bgrowth.i18n.labels import N_
from b2bgrowth.revenue.api import data_range
from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.filters import (
    NO_SEGMENT_VALUE,
    PERIOD_LABELS,
    PERIODS,
    SEGMENT_LABELS,
    SEGMENTS,
    is_htmx,
    paging,
    parse_date,
    read_filters,
)
from b2bgrowth.web.format import dashboard_chart_labels, period_label
from b2bgrowth.web.reports import run_report
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
# The report's classes (SPEC C9): promoters 9–10, passives 7–8, detractors 0–6.
SCORE_CLASSES = {"promoters": (9, 10), "passives": (7, 8), "detractors": (0, 6)}
SCORE_CLASS_LABELS = {"promoters": N_("Promoters"), "passives": N_("Passives"), "detractors": N_("Detractors")}


def class_of(score: int) -> str:
    return next(name for name, (low, high) in SCORE_CLASSES.items() if low <= score <= high)


def search_responses(ws: Workspace, start, end, q="", segment_by=None, segment_value=None, klass="", page=1):
    """Responses dated in [start, end] (whole days), newest first, with their account's segment value."""
    where = [NpsResponse.at >= datetime.combine(start, time.min),
             NpsResponse.at < datetime.combine(end + timedelta(days=1), time.min)]
    if q:
        where.append(or_(NpsResponse.comment.icontains(q, autoescape=True),
                         Account.name.icontains(q, autoescape=True),
                         NpsResponse.account_id.icontains(q, autoescape=True)))
    if klass in SCORE_CLASSES:
        low, high = SCORE_CLASSES[klass]
        where.append(NpsResponse.score.between(low, high))
    segment_column = getattr(Account, segment_by) if segment_by in SEGMENTS else None
    if segment_column is not None and segment_value is not None:
        # The report files an empty attribute with the missing ones (segment null).
        where.append(or_(segment_column.is_(None), segment_column == "") if segment_value == NO_SEGMENT_VALUE
                     else segment_column == segment_value)
    base = select(NpsResponse, Account.name, segment_column if segment_column is not None else Account.account_id) \
        .outerjoin(Account, Account.account_id == NpsResponse.account_id).where(*where)
    counts = select(NpsResponse.score, func.count()).outerjoin(Account, Account.account_id == NpsResponse.account_id) \
        .where(*where).group_by(NpsResponse.score)
    with ws.store.read() as session:
        by_score = dict(session.execute(counts).all())
        total = sum(by_score.values())
        page, pages, offset = paging(total, page, PER_PAGE)
        rows = session.execute(base.order_by(NpsResponse.at.desc(), NpsResponse.response_id)
                               .limit(PER_PAGE).offset(offset)).all()
    responses = [
        {"response_id": r.response_id, "at": r.at, "account_id": r.account_id, "account_name": name,
         "contact_id": r.contact_id, "score": r.score, "class": class_of(r.score), "comment": r.comment,
         "segment": segment if segment_column is not None else None}
        for r, name, segment in rows
    ]
    classes = {name: sum(n for s, n in by_score.items() if low <= s <= high)
               for name, (low, high) in SCORE_CLASSES.items()}
    return responses, total, classes, page, pages


def segment_matrix(rows: list[dict]) -> tuple[list[dict], list]:
    """Segmented report rows → periods (columns) and one line per segment value (cells keyed by period)."""
    periods = list(dict.fromkeys((r["period_start"], r["period_end"]) for r in rows))
    lines: dict = {}
    for r in rows:
        line = lines.setdefault(r["segment"], {"segment": r["segment"], "cells": {}, "responses": 0})
        line["cells"][r["period_start"]] = r
        line["responses"] += r.get("responses") or 0
    ordered = sorted(lines.values(), key=lambda line: (-line["responses"], str(line["segment"])))
    return [{"period_start": s, "period_end": e} for s, e in periods], ordered


def page_links(request: Request, path: str):
    """page_url(n) → this request's URL with page=n (every other filter kept)."""
    def page_url(number: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        return f"{path}?{urlencode(params + [('page', str(number))])}"
    return page_url


@router.get("/nps")
def nps_page(
    request: Request, ws: WorkspaceDep, user: PageUser,
    period: str = Query("month", max_length=20), start: str | None = Query(None, alias="from", max_length=40),
    end: str | None = Query(None, alias="to", max_length=40), segment: str = Query("", max_length=40),
    q: str = Query("", max_length=200), score_class: str = Query("", max_length=20), page: int = Query(1, ge=1),
):
    filters = read_filters(period, start, end, segment, data_range(ws))
    params = filters.report_params()
    nps = (run_report(ws, "nps", filters.errors, **params) or {"periods": []})["periods"]
    by_segment = None
    if filters.segment:
        by_segment = (run_report(ws, "nps", filters.errors, **params, segment=filters.segment) or {"periods": []})["periods"]
    klass = score_class if score_class in SCORE_CLASSES else ""
    responses, total, classes, page, pages = search_responses(
        ws, filters.start, filters.end, q.strip(), filters.segment or None, None, klass, page)
    matrix_periods, matrix_lines = segment_matrix(by_segment or [])
    context = dict(
        filters=filters, periods=PERIODS, period_labels=PERIOD_LABELS, segments=SEGMENTS,
        segment_labels=SEGMENT_LABELS, nps=nps, matrix_periods=matrix_periods, matrix_lines=matrix_lines,
        responses=responses, total=total, classes=classes, page=page, pages=pages, q=q, score_class=klass,
        score_classes=SCORE_CLASS_LABELS, segment_by=filters.segment or None, segment_value=None, in_panel=False,
        chart_config={"period": filters.period, "segment_by": filters.segment or None, "periods": [], "nps": nps,
                      "nps_by_segment": by_segment, "labels": dashboard_chart_labels(), "no_segment_value": NO_SEGMENT_VALUE,
                      "drill_url": "/dashboard/drill", "nps_drill_url": "/nps/responses"},
        no_segment_value=NO_SEGMENT_VALUE, page_url=page_links(request, "/nps"), page_target="#nps-body",
        period_label=period_label,
    )
    if is_htmx(request):
        return render(request, "voc/_nps_body.html", **context)
    return render(request, "voc/nps.html", status_code=400 if filters.errors else 200, **context)


@router.get("/nps/responses")
def nps_responses(
    request: Request, ws: WorkspaceDep, user: PageUser,
    start: str = Query(..., alias="from", max_length=40), end: str = Query(..., alias="to", max_length=40),
    segment: str = Query("", max_length=40), segment_value: str | None = Query(None, max_length=200),
    q: str = Query("", max_length=200), score_class: str = Query("", max_length=20),
    page: int = Query(1, ge=1), panel: bool = False,
):
    errors: list[str] = []
    start_day, end_day = parse_date(start, "from", errors), parse_date(end, "to", errors)
    segment_by = segment if segment in SEGMENTS else None
    responses, total, classes, pages = [], 0, dict.fromkeys(SCORE_CLASSES, 0), 1
    if not errors:
        klass = score_class if score_class in SCORE_CLASSES else ""
        responses, total, classes, page, pages = search_responses(
            ws, start_day, end_day, q.strip(), segment_by, segment_value, klass, page)
    context = dict(
        responses=responses, total=total, classes=classes, page=page, pages=pages, q=q, score_class=score_class,
        score_classes=SCORE_CLASS_LABELS, segment_by=segment_by, segment_value=segment_value, errors=errors,
        period_start=start, period_end=end, segment_labels=SEGMENT_LABELS, no_segment_value=NO_SEGMENT_VALUE,
        in_panel=panel and is_htmx(request), page_url=page_links(request, "/nps/responses"),
        page_target="#drill-panel" if panel else "#nps-responses",
    )
    if panel:
        template = "voc/_responses_panel.html" if is_htmx(request) else "voc/responses_page.html"
    else:
        template = "voc/_responses.html"
    return render(request, template, status_code=400 if errors and not is_htmx(request) else 200, **context)


def register_web(web) -> None:
    web.add_router(router)
    web.add_nav("/nps", "NPS", order=20)
    from b2bgrowth.voc import web_account  # the account page's NPS panel

    web_account.register(web)
