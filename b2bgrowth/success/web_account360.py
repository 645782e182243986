"""The account 360's customer-success panels (issue 4, item 10): cards on /accounts/{id} that
load their own HTML fragments (WebRegistry.add_account_panel; b2bgrowth/web/shell.py).

    GET /success/accounts/{id}/health       score, colour, trend, scorecard, churn risk + reasons, stage, breakdown
    GET /success/accounts/{id}/usage        90-day events / active users chart, DAU/WAU/MAU, seats, breadth, trend
    GET /success/accounts/{id}/users        per-user activity (30 days), segments, decision makers, dormant seats
    GET /success/accounts/{id}/tasks        open / snoozed CS tasks with the tasks page's own row and actions
    GET /success/accounts/{id}/onboarding   milestone chips (first 90 days, or while a milestone is overdue)
    GET /success/accounts/{id}/timeline     the merged timeline (b2bgrowth.success.timeline), ?kind=, ?page=

Every fragment takes ?as_of=YYYY-MM-DD (default today), answers 404 for an unknown account and
422 for a bad date; any failure inside a panel becomes a friendly empty state (logged), never a 500.
Every signed-in role may read them; email-like user ids are masked like the contacts table.

Cost (health): health_at and risk_at are given this account's row of account_signals (as of the
day and 30 days before), so only this account is scored; account_signals itself still computes
all accounts (U's module has no single-account form), which dominates the panel's time at scale.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Query, Request
from sqlalchemy import select

from b2bgrowth import i18n
from b2bgrowth.auth.security import mask_email
from b2bgrowth.i18n.labels import N_
from b2bgrowth.reporting.jsonable import plain
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.filters import paging
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PANELS = [  # key, title (msgid), order, wide
    ("health", N_("Health"), 10, False),
    ("usage", N_("Usage"), 20, False),
    ("onboarding", N_("Onboarding milestones"), 25, True),
    ("users", N_("Users in the account"), 30, True),
    ("tasks", N_("CS tasks"), 40, True),
    ("timeline", N_("Account timeline"), 90, True),
]
TITLES = {key: title for key, title, _, _ in PANELS}
USAGE_DAYS = 90
USER_DAYS = 30
TIMELINE_PAGE = 20
DECISION_ROLES = ("decision_maker",)
SEGMENT_LABELS = [N_("champion"), N_("regular"), N_("occasional"), N_("dormant")]
STATUS_LABELS = [N_("done"), N_("pending"), N_("overdue")]
RISK_METHOD_LABELS = [N_("model"), N_("fallback")]
COLOR_LABELS = {"green": N_("Green"), "yellow": N_("Yellow"), "red": N_("Red")}


class PanelError(Exception):
    """A request the panel answers with a status and a message (404 account, 422 date)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _account(ws: Workspace, account_id: str) -> dict:
    from b2bgrowth.accounts.models import Account

    with ws.store.read() as session:
        a = session.get(Account, account_id)
        if a is None:
            raise PanelError(404, i18n.gettext("No account with id %(id)s.", id=account_id))
        return {"account_id": a.account_id, "name": a.name, "owner": a.owner, "tier": a.tier}


def _day(as_of: str | None) -> date:
    if not as_of:
        return date.today()
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise PanelError(422, i18n.gettext("as_of: %(value)s is not a date (YYYY-MM-DD)", value=as_of)) from None


def _panel(request: Request, ws: Workspace, user, key: str, account_id: str, as_of: str | None, build, **extra):
    """Render success/panels/<key>.html with build(ws, account, day, user, **extra); errors → empty states."""
    title = TITLES[key]
    try:
        account = _account(ws, account_id)
        day = _day(as_of)
    except PanelError as exc:
        return render(request, "success/panels/_message.html", status_code=exc.status, title=title, key=key,
                      message=exc.message, kind="error")
    try:
        context = build(ws, account, day, user, **extra)
    except PanelError as exc:
        return render(request, "success/panels/_message.html", status_code=exc.status, title=title, key=key,
                      message=exc.message, kind="error")
    except Exception:  # one broken panel must not break the account page: log it, say so kindly
        log.exception("account 360 panel %s failed for account %s as of %s", key, account_id, day)
        return render(request, "success/panels/_message.html", title=title, key=key, kind="empty",
                      message=i18n.gettext("This panel could not be computed right now."))
    today = date.today()
    return render(request, f"success/panels/{key}.html", title=title, key=key, account=account, as_of=day,
                  as_of_param=day.isoformat() if day != today else "", **context)


_num = plain  # a plain float / int / None from pandas / numpy scalars (NaN → None)


# -- health ---------------------------------------------------------------------------------------
def _signals_row(ws: Workspace, account_id: str, day: date):
    from b2bgrowth.success.signals import account_signals

    return account_signals(ws, day, accounts=[account_id])


def health_context(ws: Workspace, account: dict, day: date, user) -> dict:
    from b2bgrowth.success.health import health_at
    from b2bgrowth.success.lifecycle import base_stage, lifecycle_stage
    from b2bgrowth.success.timeline import first_paid_day

    row = _signals_row(ws, account["account_id"], day)
    if row.empty:
        first = first_paid_day(ws, account["account_id"], day)
        return {"paying": False, "stage": base_stage(False, first is not None, None)}
    previous = _signals_row(ws, account["account_id"], day - timedelta(days=30))
    health = health_at(ws, day, row, previous_signals=previous).iloc[0]
    risk, reasons, method = None, [], None
    try:
        from b2bgrowth.success.risk import risk_at

        r = risk_at(ws, day, row)
        if len(r):
            risk, reasons, method = _num(r.iloc[0]["churn_risk"]), list(r.iloc[0]["reasons"] or []), r.iloc[0]["method"]
    except Exception:  # risk is one line of the panel; the health breakdown stands without it
        log.exception("account 360: churn risk failed for %s", account["account_id"])
    color = _num(health["health_color"])
    base = _num(health["base_stage"])
    measures = [dict(m) for m in (health["measures"] or [])]
    signals = row.iloc[0]
    return {
        "paying": True,
        "score": _num(health["health_score"]), "color": color, "trend": _num(health["health_trend"]),
        "scorecard": health["scorecard_id"], "version": int(health["scorecard_version"]),
        "risk": risk, "reasons": reasons, "risk_method": method,
        "stage": lifecycle_stage(base, color, risk) if base else None,
        "measures": measures,
        "chart": [{"label": m["label"], "group": m["group"], "contribution": m["contribution"] or 0,
                   "score": m["score"], "missing": m["missing"]} for m in measures],
        "arr": _num(signals.get("arr")), "next_due_date": _num(signals.get("next_due_date")),
        "days_to_renewal": _num(signals.get("days_to_renewal")), "currency": ws.settings.reporting_currency,
        "color_labels": COLOR_LABELS,
    }


# -- usage ----------------------------------------------------------------------------------------
def usage_context(ws: Workspace, account: dict, day: date, user) -> dict:
    from b2bgrowth.success.signals import _seats
    from b2bgrowth.success.usage import usage_series
    from b2bgrowth.success.usage.features import usage_features_many

    series = usage_series(ws, account["account_id"], day - timedelta(days=USAGE_DAYS - 1), day)
    # This account's windows only (the one-account path; the full frame is ~60k rows at L).
    mine = usage_features_many(ws, [day], refresh=False, accounts_by_date={day: [account["account_id"]]})[day]
    f = {c: _num(mine.iloc[0][c]) for c in mine.columns} if len(mine) else {}
    seats = _seats(ws, day).get(account["account_id"])
    seats = None if seats is None else float(seats)
    mau = f.get("mau") or 0
    return {
        "series": [{"day": r.day.isoformat(), "events": int(r.events), "active_users": int(r.active_users)}
                   for r in series.itertuples(index=False)],
        "total_events": int(series["events"].sum()), "days": USAGE_DAYS,
        "dau": f.get("dau") or 0, "wau": f.get("wau") or 0, "mau": mau, "seats": seats,
        "utilisation": (mau / seats) if seats else None,
        "breadth": f.get("breadth_30d") or 0, "events_30d": f.get("events_30d") or 0,
        "events_prev_30d": f.get("events_prev_30d") or 0, "trend": f.get("usage_trend_30d"),
        "support_tickets_30d": f.get("support_tickets_30d") or 0, "last_active_day": f.get("last_active_day"),
    }


# -- users ----------------------------------------------------------------------------------------
def _masked_user(user_id: str, role: str) -> str:
    from b2bgrowth.auth.security import may_see

    if "@" in (user_id or "") and not may_see(role, "email"):
        return mask_email(user_id)
    return user_id


def users_context(ws: Workspace, account: dict, day: date, user) -> dict:
    from b2bgrowth.accounts.models import Contact
    from b2bgrowth.success.signals import _seats
    from b2bgrowth.success.usage import user_activity

    frame = user_activity(ws, account["account_id"], day, days=USER_DAYS)
    rows = []
    for r in frame.to_dict("records"):
        rows.append({"user_id": _masked_user(str(r["user_id"]), user.role), "name": _num(r["name"]),
                     "role": _num(r["role"]), "events": int(r["events"]), "active_days": int(r["active_days"]),
                     "last_active_day": _num(r["last_active_day"]), "segment": r["segment"],
                     "contact_id": _num(r["contact_id"])})
    active = sum(1 for r in rows if r["active_days"] > 0)
    seats = _seats(ws, day).get(account["account_id"])
    seats = None if seats is None else int(seats)
    with ws.store.read() as session:
        deciders = session.execute(select(Contact.contact_id, Contact.name).where(
            Contact.account_id == account["account_id"], Contact.role.in_(DECISION_ROLES))
            .order_by(Contact.name)).all()
    engaged_ids = {r["contact_id"] for r in rows if r["contact_id"] and r["active_days"] > 0}
    decision_makers = [{"name": n or c, "engaged": c in engaged_ids} for c, n in deciders]
    segments = {s: sum(1 for r in rows if r["segment"] == s) for s in ("champion", "regular", "occasional", "dormant")}
    return {"users": rows, "active": active, "seats": seats,
            "dormant_seats": max(seats - active, 0) if seats is not None else None,
            "decision_makers": decision_makers, "segments": segments, "days": USER_DAYS}


# -- tasks ----------------------------------------------------------------------------------------
def tasks_context(ws: Workspace, account: dict, day: date, user) -> dict:
    from b2bgrowth.success.playbooks.api import EDIT_ROLES
    from b2bgrowth.success.playbooks.tasks import list_tasks

    tasks = [t for t in list_tasks(ws, account=account["account_id"], translate=i18n.gettext)
             if t["status"] in ("open", "snoozed")]
    return {"tasks": tasks, "can_edit": user.role in EDIT_ROLES, "today": date.today().isoformat()}


# -- onboarding -----------------------------------------------------------------------------------
def onboarding_context(ws: Workspace, account: dict, day: date, user) -> dict:
    from b2bgrowth.success.lifecycle import ONBOARDING_DAYS
    from b2bgrowth.success.timeline import milestone_progress

    milestones = milestone_progress(ws, account["account_id"], day)
    first = milestones[0]["first_paid_day"] if milestones else None
    in_onboarding = first is not None and (day - first).days < ONBOARDING_DAYS
    overdue = sum(1 for m in milestones if m["status"] == "overdue")
    return {"milestones": milestones, "show": bool(milestones) and (in_onboarding or overdue > 0),
            "first_paid_day": first, "days_in": (day - first).days if first else None,
            "done": sum(1 for m in milestones if m["status"] == "done"), "overdue": overdue}


# -- timeline -------------------------------------------------------------------------------------
def timeline_context(ws: Workspace, account: dict, day: date, user, kind: str = "", page: int = 1) -> dict:
    from b2bgrowth.success.timeline import KIND_LABELS, KINDS, account_timeline
    from b2bgrowth.web.templating import environment

    if kind and kind not in KINDS:
        raise PanelError(422, i18n.gettext("kind: %(value)s is not one of %(known)s", value=kind,
                                           known=", ".join(KINDS)))
    money = environment.globals.get("fmt_money")
    entries = account_timeline(ws, account["account_id"], day, [kind] if kind else None, translate=i18n.gettext,
                               money=(lambda v, c=None: money(v, c or ws.settings.reporting_currency)) if money else None)
    page, pages, offset = paging(len(entries), page, TIMELINE_PAGE)
    return {"entries": entries[offset: offset + TIMELINE_PAGE], "total": len(entries),
            "page": page, "pages": pages, "kind": kind, "kinds": KINDS, "kind_labels": KIND_LABELS}


# -- routes ---------------------------------------------------------------------------------------
AsOf = Query(None, max_length=20, description="YYYY-MM-DD; default today")


@router.get("/success/accounts/{account_id}/timeline")
def timeline_panel(account_id: str, request: Request, ws: WorkspaceDep, user: PageUser, as_of: str | None = AsOf,
                   kind: str = Query("", max_length=20), page: int = Query(1, ge=1, le=100_000)):
    return _panel(request, ws, user, "timeline", account_id, as_of, timeline_context, kind=kind, page=page)


# The panels without parameters of their own share one route; the timeline adds kind and page.
# Builders are looked up by name when a request comes, so a replaced builder is the one used.
CONTEXTS = {"health": "health_context", "usage": "usage_context", "users": "users_context",
            "tasks": "tasks_context", "onboarding": "onboarding_context"}


@router.get("/success/accounts/{account_id}/{key}")
def simple_panel(account_id: str, key: str, request: Request, ws: WorkspaceDep, user: PageUser,
                 as_of: str | None = AsOf):
    if key not in CONTEXTS:
        raise HTTPException(404, f"no account panel {key!r}")
    return _panel(request, ws, user, key, account_id, as_of, globals()[CONTEXTS[key]])


def register_web(web) -> None:
    web.add_router(router)
    for key, title, order, wide in PANELS:
        web.add_account_panel(key, title, f"/success/accounts/{{account_id}}/{key}", order=order, wide=wide)
