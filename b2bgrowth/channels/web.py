"""Channel ROI dashboard: /channels — for a window [from, to]: cost vs won amount and CAC by
channel, the ROI table, the funnel leads → MQL → SQL → won, attribution by model, the
call-cadence chart and the growth-model diagnosis per segment.

Every number is a registry report's ("channels", "attribution", "call-cadence", "growth-model")
run with the page's window, exactly as GET /api/v1/reports/… returns it. The page only adds up
the channel rows for the funnel and links each channel to its leads (/leads?channel=…&from=…&to=…,
the same merged leads created in the window that the report counts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from b2bgrowth import i18n
from b2bgrowth.channels.models import Channel
from b2bgrowth.i18n.labels import N_
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.filters import DEAL_SEGMENTS as SEGMENTS
from b2bgrowth.web.filters import SEGMENT_LABELS, read_window
from b2bgrowth.web.format import money
from b2bgrowth.web.reports import run_report
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
MODELS = ("first_touch", "last_touch", "linear", "position_based")
MODEL_LABELS = {"first_touch": N_("First touch"), "last_touch": N_("Last touch"), "linear": N_("Linear"),
                "position_based": N_("Position-based (40/20/40)")}
SIZE_LABELS = {"small": N_("< 50 employees"), "mid": N_("50–499 employees"), "large": N_("≥ 500 employees")}
GROWTH_LABELS = {"hacker": N_("Growth hacker"), "r2r": N_("R2R (repeatable to revenue)"), "missile": N_("Missile")}
FUNNEL = (("leads", N_("Leads"), ""), ("mqls", N_("MQLs"), "mql"), ("sqls", N_("SQLs"), "sql"), ("won", N_("Won"), ""))


def channel_names(ws: Workspace) -> dict[str, str]:
    with ws.store.read() as session:
        return dict(session.execute(select(Channel.channel_id, Channel.name)).all())


def translated(step: dict) -> str:
    msgid = step["label"]  # an N_() msgid from FUNNEL
    return i18n.gettext(msgid)


def funnel(rows: list[dict]) -> list[dict]:
    return [{"key": key, "label": label, "reached": reached, "value": sum(int(r.get(key) or 0) for r in rows)}
            for key, label, reached in FUNNEL]


@router.get("/channels")
def channels_page(
    request: Request, ws: WorkspaceDep, user: PageUser,
    start: str | None = Query(None, alias="from", max_length=40), end: str | None = Query(None, alias="to", max_length=40),
    model: str = Query("linear", max_length=20), segment: str = Query("tier", max_length=40),
):
    errors: list[str] = []
    if model not in MODELS:
        errors.append(i18n.gettext("model: %(value)s is not one of %(choices)s", value=model, choices=", ".join(MODELS)))
        model = "linear"
    if segment not in SEGMENTS:
        errors.append(i18n.gettext("segment: %(value)s is not one of %(choices)s", value=segment,
                                   choices=", ".join(SEGMENTS)))
        segment = "tier"
    first, last = read_window(start, end, errors)
    window = {"from": first.isoformat(), "to": last.isoformat()}
    channels = (run_report(ws, "channels", errors, **window) or {}).get("channels", [])
    attribution = run_report(ws, "attribution", errors, model=model, **window) or {"channels": [], "campaigns": []}
    cadence = run_report(ws, "call-cadence", errors, **window)
    growth = run_report(ws, "growth-model", errors, segment=segment)
    names = channel_names(ws)
    # A channel's number links to its leads: the merged leads created in the window the report counts.
    leads_href = {r["channel"]: ("/leads?" + urlencode({"channel": r["channel"], **window}) if r["channel"] else None)
                  for r in channels}
    chart_config = {
        "channels": [dict(r, name=names.get(r["channel"], r["channel"] or i18n.gettext("(no channel)")),
                          href=leads_href[r["channel"]])
                     for r in channels],
        "funnel": [dict(f, label=translated(f),
                        href="/leads?" + urlencode({**window, **({"reached": f["reached"]} if f["reached"] else {})}))
                   for f in funnel(channels)],
        "attribution": [dict(r, name=names.get(r["channel"], r["channel"] or i18n.gettext("(no channel)")),
                             href=("/leads?" + urlencode({"channel": r["channel"], **window})) if r["channel"] else None)
                        for r in attribution.get("channels", [])],
        "cadence": cadence or {},
        "size_labels": {k: i18n.gettext(v) for k, v in SIZE_LABELS.items()},
        "labels": {"cost": i18n.gettext("Cost"), "won_amount": i18n.gettext("Won amount"),
                   "cac": i18n.gettext("CAC"), "win_rate": i18n.gettext("Win rate"),
                   "best": i18n.gettext("best"), "won_revenue": i18n.gettext("Won revenue (attributed)"),
                   "leads": i18n.gettext("Leads (attributed)"), "calls": i18n.gettext("Calls before close"),
                   "closed": i18n.gettext("closed"), "click_hint": i18n.gettext("Click a channel for its leads")},
    }
    return render(
        request, "channels/dashboard.html", status_code=400 if errors else 200, errors=errors, window=window,
        channels=channels, names=names, leads_href=leads_href, attribution=attribution, model=model, models=MODELS,
        model_labels=MODEL_LABELS, cadence=cadence, growth=growth, segment=segment, segments=SEGMENTS,
        segment_labels=SEGMENT_LABELS, size_labels=SIZE_LABELS, growth_labels=GROWTH_LABELS,
        funnel=chart_config["funnel"], chart_config=chart_config,
        money=lambda v: money(v, ws.settings.reporting_currency),
        query=lambda **extra: urlencode({**window, "model": model, "segment": segment, **extra}),
    )


def register_web(web) -> None:
    web.add_router(router)
    web.add_nav("/channels", "Channels", order=26)
