"""NPS survey pages: /surveys (list), /surveys/new (create + choose recipients with a live count),
/surveys/<id> (response rate, NPS, by tier / role charts, recipients with copyable links,
reminders), /surveys/verbatims (comment search); plus the public /s/<token> page and the JSON
API, both included from b2bgrowth.voc.surveys.

Figures come from b2bgrowth.voc.surveys.analysis (the same code as the `survey` report).
Writes: admin, ops, csm (viewers are read-only app-wide and never see the personal links).
"""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from b2bgrowth.accounts.models import ACCOUNT_TYPES, CONTACT_ROLES, LIFECYCLE_STAGES, TIERS, Account
from b2bgrowth.i18n import gettext
from b2bgrowth.i18n.labels import N_
from b2bgrowth.voc.surveys import service
from b2bgrowth.voc.surveys.analysis import BANDS, all_summaries, search_verbatims, survey_summary
from b2bgrowth.voc.surveys.api import SURVEY_ROLES, public_recipient
from b2bgrowth.voc.surveys.api import router as api_router
from b2bgrowth.voc.surveys.cli import LINK_COLUMNS
from b2bgrowth.voc.surveys.public import router as public_router
from b2bgrowth.web.deps import PageUser, WorkspaceDep, require_roles
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
Writer = Depends(require_roles(*SURVEY_ROLES))
FILTER_KEYS = ("tier", "role", "stage", "type", "owner")
STATUS_LABELS = {"draft": N_("Draft"), "open": N_("Open"), "closed": N_("Closed")}
BAND_LABELS = {"promoters": N_("Promoters"), "passives": N_("Passives"), "detractors": N_("Detractors")}
ROLE_LABELS = {"decision_maker": N_("Decision maker"), "manager": N_("Manager"), "user": N_("User"),
               "purchaser": N_("Purchaser"), "influencer": N_("Influencer")}
STAGE_LABELS = {"prospect": N_("Prospect"), "onboarding": N_("Onboarding"), "adopting": N_("Adopting"),
                "mature": N_("Mature"), "at_risk": N_("At risk"), "churned": N_("Churned")}
TYPE_LABELS = {"direct": N_("Direct"), "isv": N_("ISV"), "channel": N_("Channel")}
PER_PAGE = 50


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _owners(ws: Workspace) -> list[str]:
    with ws.store.read() as session:
        return sorted(o for o in session.scalars(select(Account.owner).distinct()) if o)


def _form_filters(form) -> dict:
    return {key: [v for v in form.getlist(key) if v] for key in FILTER_KEYS if any(form.getlist(key))}


def _choices(ws: Workspace) -> dict:
    return {"tier": [(t, t) for t in TIERS], "role": [(r, ROLE_LABELS[r]) for r in CONTACT_ROLES],
            "stage": [(s, STAGE_LABELS[s]) for s in LIFECYCLE_STAGES],
            "type": [(t, TYPE_LABELS[t]) for t in ACCOUNT_TYPES], "owner": [(o, o) for o in _owners(ws)]}


def _role_label(code: str | None) -> str | None:
    """A role code in the request's language (unknown roles as they are)."""
    return gettext(ROLE_LABELS[code]) if code in ROLE_LABELS else code


def _labels() -> dict:
    return {"status": STATUS_LABELS, "band": BAND_LABELS, "role": ROLE_LABELS, "stage": STAGE_LABELS,
            "type": TYPE_LABELS}


@router.get("/surveys")
def survey_list(request: Request, ws: WorkspaceDep, user: PageUser):
    return render(request, "voc/survey_list.html", surveys=all_summaries(ws), labels=_labels(),
                  can_write=user.role in SURVEY_ROLES)


def _new_form(request, ws: Workspace, status_code=200, values=None, filters=None, errors=None, preview=None):
    return render(request, "voc/survey_new.html", status_code=status_code, values=values or {},
                  filters=filters or {}, errors=errors or [], choices=_choices(ws), labels=_labels(),
                  preview=preview or service.preview(ws, filters or {}))


@router.get("/surveys/new")
def survey_new(request: Request, ws: WorkspaceDep, user=Writer):
    return _new_form(request, ws)


@router.get("/surveys/preview")
def survey_preview(request: Request, ws: WorkspaceDep, user: PageUser):
    """The live recipient count for the filter on the create form (htmx fragment)."""
    filters = {key: [v for v in request.query_params.getlist(key) if v] for key in FILTER_KEYS}
    try:
        preview = service.preview(ws, {k: v for k, v in filters.items() if v})
        return render(request, "voc/survey_preview.html", preview=preview, error=None)
    except service.SurveyError as exc:
        return render(request, "voc/survey_preview.html", status_code=400, preview=None, error=str(exc))


@router.post("/surveys/new")
async def survey_create(request: Request, ws: WorkspaceDep, user=Writer):
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("name", "survey_id", "question_zh", "question_en",
                                                   "follow_up_zh", "follow_up_en", "opens_on", "closes_on")}
    filters = _form_filters(form)
    try:
        service.normalise_filters(filters)
        survey = service.create_survey(ws, created_by=user.login, **{k: v or None for k, v in values.items()})
        service.add_recipients(ws, survey["survey_id"], filters)
        if form.get("open"):
            service.set_status(ws, survey["survey_id"], "open")
    except service.SurveyError as exc:
        preview = None
        try:
            preview = service.preview(ws, filters)
        except service.SurveyError:
            preview = {"contacts": 0, "reachable": 0, "accounts": 0, "filters": {}}
        return _new_form(request, ws, 400, values, filters, [str(exc)], preview)
    return RedirectResponse(f"/surveys/{survey['survey_id']}", status_code=303)


@router.get("/surveys/verbatims")
def verbatims(request: Request, ws: WorkspaceDep, user: PageUser, q: str = Query("", max_length=200),
              band: str = Query("", max_length=20), survey: str = Query("", max_length=64),
              page: int = Query(1, ge=1, le=100_000)):
    errors: list[str] = []
    band_value = band if band in BANDS else None
    if band and band_value is None:
        errors.append(f"band: {band!r} is not one of {', '.join(BANDS)}")
    try:
        found = search_verbatims(ws, q, band_value, survey or None, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    except service.SurveyNotFound as exc:
        errors.append(f"survey: {exc}")
        found = {"total": 0, "verbatims": []}
    pages = max(1, -(-found["total"] // PER_PAGE))
    return render(request, "voc/survey_verbatims.html", status_code=400 if errors else 200, errors=errors,
                  q=q, band=band_value or "", survey=survey, page=page, pages=pages, surveys=all_summaries(ws),
                  labels=_labels(), **found)


def _detail_context(request, ws: Workspace, user, survey_id: str) -> dict:
    try:
        summary = survey_summary(ws, survey_id)
    except service.SurveyNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    rows = [public_recipient(r, user.role) for r in service.recipients(ws, survey_id, _base_url(request))]
    # Chart categories: role codes shown with their translated labels (tiers are names already).
    roles = [{**row, "segment": _role_label(row["segment"])} for row in summary["by_role"]]
    chart = {"tier": summary["by_tier"], "role": roles}
    return dict(survey=summary, recipients=rows, chart=chart, labels=_labels(), choices=_choices(ws),
                can_write=user.role in SURVEY_ROLES, today=date.today())


@router.get("/surveys/{survey_id}")
def survey_detail(survey_id: str, request: Request, ws: WorkspaceDep, user: PageUser,
                  reminded: int | None = Query(None, ge=0), after_days: int = Query(3, ge=0, le=365)):
    context = _detail_context(request, ws, user, survey_id)
    due = []
    if context["can_write"] and context["survey"]["status"] == "open":
        try:
            due = service.due_reminders(ws, survey_id, after_days, base_url=_base_url(request))
        except service.SurveyError:
            due = []
    return render(request, "voc/survey_detail.html", reminded=reminded, due=due, after_days=after_days, **context)


@contextmanager
def _http_errors():
    """The survey service's errors as HTTP answers: unknown survey 404, refused change 400."""
    try:
        yield
    except service.SurveyNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except service.SurveyError as exc:
        raise HTTPException(400, str(exc)) from None


@router.post("/surveys/{survey_id}/status")
async def survey_status(survey_id: str, request: Request, ws: WorkspaceDep, user=Writer):
    form = await request.form()
    with _http_errors():
        service.set_status(ws, survey_id, str(form.get("status") or ""))
    return RedirectResponse(f"/surveys/{survey_id}", status_code=303)


@router.post("/surveys/{survey_id}/recipients")
async def survey_add(survey_id: str, request: Request, ws: WorkspaceDep, user=Writer):
    form = await request.form()
    with _http_errors():
        service.add_recipients(ws, survey_id, _form_filters(form))
    return RedirectResponse(f"/surveys/{survey_id}#recipients", status_code=303)


@router.post("/surveys/{survey_id}/remind")
async def survey_remind(survey_id: str, request: Request, ws: WorkspaceDep, user=Writer):
    form = await request.form()
    try:
        after_days = int(str(form.get("after_days") or "3"))
        rows = service.remind(ws, survey_id, after_days, base_url=_base_url(request))
    except ValueError as exc:  # SurveyError is a ValueError, as is a bad number
        raise HTTPException(400, f"after_days: {exc}") from None
    except service.SurveyNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    return RedirectResponse(f"/surveys/{survey_id}?reminded={len(rows)}&after_days={after_days}#reminders",
                            status_code=303)


@router.get("/surveys/{survey_id}/links.csv")
def survey_links(survey_id: str, request: Request, ws: WorkspaceDep, user=Writer,
                 due: bool = False, after_days: int = Query(3, ge=0, le=365)):
    """Recipients' links as CSV (all, or only those due a reminder); reading records nothing."""
    with _http_errors():
        rows = (service.due_reminders(ws, survey_id, after_days, base_url=_base_url(request)) if due
                else service.recipients(ws, survey_id, _base_url(request)))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LINK_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    name = f"survey-{survey_id}-{'reminders' if due else 'links'}.csv"
    return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def register_web(web) -> None:
    web.add_router(public_router)
    web.add_router(api_router)
    web.add_router(router)
    web.add_nav("/surveys", "Surveys", order=21)
