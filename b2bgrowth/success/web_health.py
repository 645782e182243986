"""Health pages and the scorecard API (issue 4 items 4 and 10).

    GET  /success/portfolio                 CSM portfolio: paying accounts with health, trend, risk, renewal
    GET  /success/scorecards                the scorecards and what they apply to
    GET  /success/scorecards/{id}[?version] one version: the editor (admins) or a read-only view
    POST /success/scorecards/{id}           save the form as a new version (admin; CSRF)
    GET  /api/v1/scorecards                 live scorecards                      any signed-in role
    GET  /api/v1/scorecards/{id}[?version=N] one version + history               any signed-in role
    PUT  /api/v1/scorecards/{id}            JSON definition → new version (201)   admin; 422 names the field

The portfolio's figures are the `health` report's (the same JSON as `b2bgrowth report health`, read
through `health_summary`, which leaves out the per-measure breakdowns the page does not show).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from b2bgrowth import i18n
from b2bgrowth.i18n.labels import N_
from b2bgrowth.reporting.jsonable import jsonable
from b2bgrowth.success.scorecards import versions
from b2bgrowth.success.scorecards.definition import ASSIGNABLE_STAGES, SIGNALS, DefinitionError, parse_definition
from b2bgrowth.success.scorecards.form import definition_from_form, friendly, rows_for
from b2bgrowth.web.deps import CurrentUser, PageUser, WorkspaceDep, require_roles
from b2bgrowth.web.filters import paging, read_as_of

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["success"])
EDITORS = ("admin",)
COLORS = ("red", "yellow", "green")
COLOR_LABELS = {"green": N_("Green"), "yellow": N_("Yellow"), "red": N_("Red")}
STAGE_LABELS = {"prospect": N_("Prospect"), "onboarding": N_("Onboarding"), "adopting": N_("Adopting"),
                "mature": N_("Mature"), "at_risk": N_("At risk"), "churned": N_("Churned")}
SORTS = {"health_score": N_("Health"), "trend": N_("Trend"), "churn_risk": N_("Churn risk"),
         "next_due_date": N_("Renewal date"), "arr": N_("ARR"), "name": N_("Name"), "owner": N_("Owner")}
PAGE_SIZE = 100


# -- portfolio ----------------------------------------------------------------------------------------
def is_mine(account: dict, user) -> bool:
    owner = (account.get("owner") or "").strip().lower()
    return bool(owner) and owner in {user.login.lower(), (user.display_name or "").strip().lower()}


def sort_key(field: str):
    def key(a: dict):
        value = a.get(field)
        return (value is None, value if not isinstance(value, str) else value.lower())
    return key


@router.get("/success/portfolio")
def portfolio(
    request: Request, ws: WorkspaceDep, user: PageUser,
    as_of: str | None = Query(None, max_length=20), owner: str = Query("", max_length=128),
    tier: str = Query("", max_length=8), color: str = Query("", max_length=10), stage: str = Query("", max_length=20),
    mine: str | None = Query(None, max_length=3), sort: str = Query("health_score", max_length=20),
    order: str = Query("asc", max_length=4), page: int = Query(1, ge=1, le=100000),
):
    errors: list[str] = []
    day = read_as_of(as_of, errors)
    if sort not in SORTS:
        errors.append(i18n.gettext("sort: %(value)s is not one of %(choices)s", value=sort, choices=", ".join(SORTS)))
        sort = "health_score"
    # CSMs see their own accounts unless they ask for all (mine=0); everyone else sees all.
    only_mine = (mine == "1") if mine is not None else user.role == "csm"
    try:
        from b2bgrowth.success.health import health_summary

        report = health_summary(ws, day)  # the health report's figures, without the breakdowns it does not show
    except (ValueError, LookupError, RuntimeError) as exc:
        errors.append(str(exc))
        report = {"as_of": day, "accounts": [], "scorecards": []}
    everyone = report["accounts"]
    owners = sorted({a.get("owner") for a in everyone if a.get("owner")})
    rows = [a for a in everyone
            if (not only_mine or is_mine(a, user)) and (not owner or a.get("owner") == owner)
            and (not tier or a.get("tier") == tier) and (not color or a.get("health_color") == color)
            and (not stage or a.get("lifecycle_stage") == stage)]
    rows.sort(key=sort_key(sort), reverse=False)
    if order == "desc":
        present = [r for r in rows if r.get(sort) is not None][::-1]
        rows = present + [r for r in rows if r.get(sort) is None]
    counts = {c: sum(1 for r in rows if r.get("health_color") == c) for c in COLORS}
    arr_red = sum(r.get("arr") or 0 for r in rows if r.get("health_color") == "red")
    page, pages, offset = paging(len(rows), page, PAGE_SIZE)
    filters = {"as_of": as_of or "", "owner": owner, "tier": tier, "color": color, "stage": stage,
               "mine": "1" if only_mine else "0", "sort": sort, "order": order}

    def href(**change) -> str:
        params = {k: v for k, v in {**filters, **change}.items() if v not in ("", None)}
        return "/success/portfolio?" + urlencode(params)

    return render_page(request, "success/portfolio.html", status_code=400 if errors else 200,
                       errors=errors, report=report, rows=rows[offset: offset + PAGE_SIZE],
                       total=len(rows), counts=counts, arr_red=arr_red, owners=owners, tiers=("KA", "CA", "SMB"),
                       colors=COLORS, color_labels=COLOR_LABELS, stages=tuple(STAGE_LABELS),
                       stage_labels=STAGE_LABELS, sorts=SORTS, filters=filters, only_mine=only_mine, href=href,
                       page=page, pages=pages, day=day, currency=ws.settings.reporting_currency)


def render_page(request, template: str, **context):
    from b2bgrowth.web.templating import render

    return render(request, template, **context)


# -- scorecard pages --------------------------------------------------------------------------------
@router.get("/success/scorecards")
def scorecard_list(request: Request, ws: WorkspaceDep, user: PageUser):
    cards = versions.live(ws)
    return render_page(request, "success/scorecards.html", cards=cards, may_edit=user.role in EDITORS,
                       stage_labels=STAGE_LABELS)


def _editor(request, ws: Workspace, user, scorecard_id: str, data: dict, version, errors: list[str],
            status: int = 200):
    try:
        history = versions.history(ws, scorecard_id)
    except versions.UnknownScorecard:
        history = []
    groups, measures = rows_for(data)
    live_version = history[0]["version"] if history else None
    return render_page(
        request, "success/scorecard_edit.html", status_code=status, scorecard_id=scorecard_id, data=data,
        version=version, live_version=live_version, history=history, groups=groups, measures=measures,
        errors=errors, may_edit=user.role in EDITORS, signals=SIGNALS, stages=ASSIGNABLE_STAGES,
        stage_labels=STAGE_LABELS, tiers=("KA", "CA", "SMB"),
    )


@router.get("/success/scorecards/{scorecard_id}")
def scorecard_page(request: Request, ws: WorkspaceDep, user: PageUser, scorecard_id: str,
                   version: int | None = Query(None, ge=0), new: str | None = Query(None, max_length=3)):
    try:
        shown = versions.get(ws, scorecard_id, version)
    except versions.UnknownScorecard as exc:
        if version is None and new and user.role in EDITORS:  # start a new scorecard from the default's groups
            base = versions.get(ws, "default").definition.model_dump(mode="json")
            data = {**base, "scorecard_id": scorecard_id, "name": "", "applies_to": {"tiers": [], "stages": []},
                    "note": None}
            return _editor(request, ws, user, scorecard_id, data, None, [])
        raise HTTPException(404, str(exc)) from None
    return _editor(request, ws, user, scorecard_id, shown.as_dict(), shown.version, [])


@router.post("/success/scorecards/{scorecard_id}", dependencies=[Depends(require_roles(*EDITORS))])
async def scorecard_save(request: Request, ws: WorkspaceDep, user: CurrentUser, scorecard_id: str):
    form = await request.form()
    data = definition_from_form(scorecard_id, form)
    orphans = data.pop("_orphans", [])
    errors = [i18n.gettext("measure %(name)s: choose a group that has a name", name=n) for n in orphans]
    if not errors:
        try:
            versions.save(ws, data, by=user.login)
        except DefinitionError as exc:
            errors = friendly(str(exc), data)
        else:
            return RedirectResponse(f"/success/scorecards/{scorecard_id}?saved=1", status_code=303)
    return _editor(request, ws, user, scorecard_id, data, None, errors, status=422)


# -- API ----------------------------------------------------------------------------------------------
@api.get("/api/v1/scorecards")
def api_list(ws: WorkspaceDep, user: CurrentUser):
    return JSONResponse(jsonable({"scorecards": [v.as_dict() for v in versions.live(ws)]}))


@api.get("/api/v1/scorecards/{scorecard_id}")
def api_get(scorecard_id: str, ws: WorkspaceDep, user: CurrentUser, version: int | None = Query(None, ge=0)):
    try:
        out = versions.get(ws, scorecard_id, version).as_dict()
        out["history"] = versions.history(ws, scorecard_id)
    except versions.UnknownScorecard as exc:
        raise HTTPException(404, str(exc)) from None
    return JSONResponse(jsonable(out))


@api.put("/api/v1/scorecards/{scorecard_id}", status_code=201)
async def api_put(scorecard_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*EDITORS))):
    try:
        payload = await request.json()
    except ValueError:
        raise HTTPException(422, "the body must be a JSON object") from None
    if not isinstance(payload, dict):
        raise HTTPException(422, "the body must be a JSON object")
    if payload.get("scorecard_id", scorecard_id) != scorecard_id:
        raise HTTPException(422, f"scorecard_id: the body says {payload['scorecard_id']!r} but the URL {scorecard_id!r}")
    for key in ("version", "created_at", "created_by", "history"):  # echoed from a GET; not part of a definition
        payload.pop(key, None)
    try:
        definition = parse_definition({**payload, "scorecard_id": scorecard_id})
    except DefinitionError as exc:
        raise HTTPException(422, str(exc)) from None
    saved = versions.save(ws, definition, by=user.login)
    return JSONResponse(jsonable(saved.as_dict()), status_code=201)


def register_web(web) -> None:
    web.add_router(router)
    web.add_router(api)
    web.add_nav("/success/portfolio", "Health portfolio", order=40)
    web.add_nav("/success/scorecards", "Scorecards", order=48)


