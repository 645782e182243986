"""Pipeline page: /pipeline — the board by stage (drag a card to move it; static/board.js posts
to POST /api/v1/opportunities/{id}/stage), win rate / deal size / cycle / stage conversion from
the "pipeline" report, and the forecast by close month from the "forecast" report.

Cards are the opportunities themselves (open ones, plus those closed in the window in the
closed-stage columns); a column's total is the sum of its cards. Every other figure comes from
the registry reports, run with the page's window, exactly as the API would return them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from sqlalchemy import or_, select

from b2bgrowth import i18n
from b2bgrowth.accounts.models import Account
from b2bgrowth.pipeline.models import Opportunity
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.filters import DEAL_SEGMENTS as SEGMENTS
from b2bgrowth.web.filters import SEGMENT_LABELS, read_window
from b2bgrowth.web.format import money
from b2bgrowth.web.reports import run_report
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
MOVE_ROLES = ("admin", "sales")  # who may drag (the stage API checks the same roles)
NO_STAGE = ""


def board(ws: Workspace, start: date, end: date) -> dict:
    """Columns in stage order, each with its cards and total; closed columns hold the deals
    closed in [start, end]."""
    from b2bgrowth.pipeline.stages import load_stages

    stages = load_stages(ws)
    with ws.store.read() as session:
        rows = session.execute(
            select(Opportunity, Account.name).outerjoin(Account, Account.account_id == Opportunity.account_id)
            .where(or_(Opportunity.status == "open",
                       Opportunity.close_date.between(start, end)))
            .order_by(Opportunity.close_date, Opportunity.opportunity_id)
        ).all()
    columns = {s.name: {"stage": s.name, "order": s.order, "probability": s.probability, "is_closed": s.is_closed,
                        "cards": []} for s in stages}
    for opp, account_name in rows:
        key = opp.stage if opp.stage in columns else NO_STAGE
        if key == NO_STAGE and NO_STAGE not in columns:
            columns[NO_STAGE] = {"stage": NO_STAGE, "order": -1, "probability": None, "is_closed": False,
                                 "cards": [], "unmovable": True}
        columns[key]["cards"].append({
            "opportunity_id": opp.opportunity_id, "name": opp.name or opp.opportunity_id, "amount": opp.amount,
            "currency": opp.currency, "owner": opp.owner, "close_date": opp.close_date, "status": opp.status,
            "account": account_name or opp.account_id, "account_id": opp.account_id,
        })
    ordered = sorted(columns.values(), key=lambda c: (c["order"], c["stage"]))
    for column in ordered:
        column["count"] = len(column["cards"])
        column["total"] = sum(float(c["amount"] or 0) for c in column["cards"])
    return {"columns": ordered}


@router.get("/pipeline")
def pipeline_page(
    request: Request, ws: WorkspaceDep, user: PageUser,
    start: str | None = Query(None, alias="from", max_length=40), end: str | None = Query(None, alias="to", max_length=40),
    forecast_from: str | None = Query(None, max_length=40), forecast_to: str | None = Query(None, max_length=40),
    segment: str = Query("tier", max_length=40),
):
    errors: list[str] = []
    if segment not in SEGMENTS:
        errors.append(i18n.gettext("segment: %(value)s is not one of %(choices)s", value=segment,
                                   choices=", ".join(SEGMENTS)))
        segment = "tier"
    first, last = read_window(start, end, errors)
    f_first, f_last = read_window(forecast_from, forecast_to, errors, months=6, forward=True)
    window = {"from": first.isoformat(), "to": last.isoformat()}
    stats = run_report(ws, "pipeline", errors, **window, segment=segment)
    forecast = run_report(ws, "forecast", errors, **{"from": f_first.isoformat(), "to": f_last.isoformat()},
                          segment=segment)
    currency = ws.settings.reporting_currency
    data = board(ws, first, last)
    chart_config = {
        "months": (forecast or {}).get("months", []),
        "stages": (stats or {}).get("stages", []),
        "labels": {"pipeline_amount": i18n.gettext("Pipeline"), "weighted": i18n.gettext("Weighted"),
                   "history_based": i18n.gettext("History-based"), "conversion": i18n.gettext("Stage conversion"),
                   "won": i18n.gettext("won")},
    }
    board_config = {
        "api": "/api/v1/opportunities/{id}/stage", "currency": currency,
        "messages": {"saving": i18n.gettext("Saving…"), "saved": i18n.gettext("Moved %(name)s to %(stage)s"),
                     "failed": i18n.gettext("Could not move %(name)s: %(reason)s")},
    }
    return render(
        request, "pipeline/board.html", status_code=400 if errors else 200, errors=errors, stats=stats,
        forecast=forecast, board=data, chart_config=chart_config, board_config=board_config,
        can_move=user.role in MOVE_ROLES, window=window,
        forecast_window={"from": f_first.isoformat(), "to": f_last.isoformat()},
        segment=segment, segments=SEGMENTS, segment_labels=SEGMENT_LABELS, currency=currency,
        money=lambda v, c=currency: money(v, c),
        query=lambda **extra: urlencode({**window, "segment": segment, **extra}),
    )


def register_web(web) -> None:
    web.add_router(router)
    web.add_nav("/pipeline", "Pipeline", order=24)
