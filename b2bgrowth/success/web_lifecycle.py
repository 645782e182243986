"""Onboarding pages (issue 4, items 1, 3 and 10).

    GET  /success/onboarding[?as_of&scope]     progress per new account: milestone chips   any signed-in role
    GET  /success/onboarding/milestones        the milestones; the editor for admins         any signed-in role
    POST /success/onboarding/milestones        save / remove one milestone                   admin; CSRF
    GET  /api/v1/success/milestones            the milestone definitions                     any signed-in role

The onboarding figures are the `onboarding` report's (GET /api/v1/reports/onboarding).
The tier-rule pages (/success/tiers, /api/v1/success/tier-rules) are in
b2bgrowth/success/web_tiers.py (declared in success/capability.py).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from b2bgrowth import i18n
from b2bgrowth.i18n.labels import N_
from b2bgrowth.web.deps import CurrentUser, PageUser, WorkspaceDep, require_roles
from b2bgrowth.web.filters import read_as_of
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["success"])
ADMIN = Depends(require_roles("admin"))
KIND_LABELS = {"event": N_("Event done by N users"), "event_count": N_("Event done N times"),
               "active_users": N_("N active users within a window")}
STATUS_LABELS = {"done": N_("Done"), "pending": N_("Pending"), "overdue": N_("Overdue")}
SCOPE_LABELS = {"onboarding": N_("First 90 days"), "all": N_("All paying accounts")}


@router.get("/success/onboarding")
def onboarding_page(request: Request, ws: WorkspaceDep, user: PageUser,
                    as_of: str | None = Query(None, max_length=20), scope: str = Query("onboarding", max_length=16),
                    status: str = Query("", max_length=10)):
    from b2bgrowth.success.onboarding import onboarding_summary

    errors: list[str] = []
    day = read_as_of(as_of, errors)
    if scope not in SCOPE_LABELS:
        errors.append(i18n.gettext("scope: %(value)s is not one of %(choices)s", value=scope, choices=", ".join(SCOPE_LABELS)))
        scope = "onboarding"
    try:
        report = onboarding_summary(ws, day, scope)
    except (ValueError, LookupError) as exc:
        errors.append(str(exc))
        report = {"as_of": day.isoformat(), "summary": {}, "milestones": [], "accounts": []}
    accounts = report["accounts"]
    if status == "overdue":
        accounts = [a for a in accounts if a["milestones_overdue"]]
    accounts = sorted(accounts, key=lambda a: (-a["milestones_overdue"], a["days_since_first_paid"], a["account_id"]))
    return render(request, "success/onboarding.html", report=report, accounts=accounts, day=day, scope=scope,
                  status=status, errors=errors, scopes=SCOPE_LABELS, status_labels=STATUS_LABELS,
                  is_admin=user.role == "admin")


def _milestone_rows(ws: Workspace):
    from b2bgrowth.success.onboarding_config import load_milestones

    return load_milestones(ws, include_inactive=True)


@router.get("/success/onboarding/milestones")
def milestones_page(request: Request, ws: WorkspaceDep, user: PageUser):
    return render(request, "success/onboarding_milestones.html", milestones=_milestone_rows(ws), kinds=KIND_LABELS,
                  errors=[], saved=request.query_params.get("saved"), is_admin=user.role == "admin", form=None)


def _int(text: str, field: str, required: bool = True) -> int | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise ValueError(i18n.gettext("%(field)s: required", field=field))
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(i18n.gettext("%(field)s: %(value)s is not a whole number", field=field, value=text)) from None


@router.post("/success/onboarding/milestones", dependencies=[ADMIN])
def save_milestone(request: Request, ws: WorkspaceDep, user: CurrentUser,
                   milestone_id: str = Form(..., max_length=64), name: str = Form("", max_length=255),
                   kind: str = Form("event", max_length=16), event: str = Form("", max_length=128),
                   threshold: str = Form("1", max_length=12), window_days: str = Form("", max_length=12),
                   target_days: str = Form("", max_length=12), position: str = Form("", max_length=12),
                   active: str = Form("", max_length=3), action: str = Form("save", max_length=10)):
    from b2bgrowth.success.onboarding_config import Milestone, remove_milestone, upsert_milestone

    form = {"milestone_id": milestone_id.strip(), "name": name, "kind": kind, "event": event, "threshold": threshold,
            "window_days": window_days, "target_days": target_days, "position": position, "active": active}
    try:
        if action == "remove":
            remove_milestone(ws, form["milestone_id"], by=user.login)
        else:
            milestone = Milestone(form["milestone_id"], name, kind, _int(target_days, "target_days"), event or None,
                                  _int(threshold, "threshold"), _int(window_days, "window_days", required=False),
                                  _int(position, "position", required=False) or 0, active == "1")
            upsert_milestone(ws, milestone, by=user.login)
    except ValueError as exc:
        return render(request, "success/onboarding_milestones.html", status_code=422, milestones=_milestone_rows(ws),
                      kinds=KIND_LABELS, errors=[str(exc)], saved=None, is_admin=True, form=form)
    return RedirectResponse(f"/success/onboarding/milestones?saved={form['milestone_id']}", status_code=303)


@api.get("/api/v1/success/milestones")
def milestones_api(ws: WorkspaceDep, user: CurrentUser) -> dict:
    return {"milestones": [asdict(m) for m in _milestone_rows(ws)]}


def register_web(web) -> None:
    web.add_router(router)
    web.add_router(api)
    web.add_nav("/success/onboarding", "Onboarding", order=44)

