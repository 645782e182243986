"""The leads JSON API (issue 3 items 1, 2, 4). Declared in leads/capability.py (`api`).

    POST /api/v1/leads                         create a lead            admin, ops, sales
    GET  /api/v1/leads/{id}                    merged lead, members, why merged, merge history, transitions
    POST /api/v1/leads/{id}/transition         {"to", "reason"}         admin, ops, sales
    POST /api/v1/leads/{id}/accept             MQL → SQL                admin, ops, sales
    POST /api/v1/leads/{id}/reject             {"reason"} MQL → nurture admin, ops, sales
    POST /api/v1/leads/{id}/undo-merge         {"member_id"}            admin, ops, sales
    PUT  /api/v1/leads/{id}/account            {"account_id"} link      admin, ops, sales
    DELETE /api/v1/leads/{id}/account          unlink                   admin, ops, sales
    POST /api/v1/leads/assign                  assign unassigned MQLs   admin, ops
    GET  /api/v1/leads/sla/overdue[?hours=]    overdue first touches
    GET/PUT/DELETE /api/v1/leads/assignment-rules[/{rule_id}]           (changes: admin, ops)
    POST /api/v1/touches                       log a touch              admin, ops, sales, csm
    POST /api/v1/forms                         create a public form     admin, ops
    POST /api/v1/forms/{form_id}               public submission (no auth; JSON or an HTML form post)
    GET  /api/v1/forms/{form_id}/embed         the HTML snippet (public)
    GET  /forms/{form_id}/embed.js             a script that writes the snippet (public)

Errors are 4xx with {"detail": reason}: 404 unknown lead/form, 409 conflicting state or id,
422 bad input, 429 rate limited, 403 role.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, ValidationError

from b2bgrowth.leads import account_links, assignment, capture, dedupe, handoff, sla
from b2bgrowth.reporting.jsonable import is_missing, jsonable
from b2bgrowth.web.deps import CurrentUser, WorkspaceDep, require_roles
from b2bgrowth.web.filters import validation_errors

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(tags=["leads"])
LEAD_WRITERS = ("admin", "ops", "sales")
TOUCH_WRITERS = ("admin", "ops", "sales", "csm")


def _json(value, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable(value), status_code=status)


def _fail(exc: Exception) -> HTTPException:
    return HTTPException(getattr(exc, "status", 422), str(exc))


def _parse(model, payload: Any):
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        errors = validation_errors(exc)
        raise HTTPException(422, "; ".join(f"{e['where']}: {e['reason']}" for e in errors)) from None


async def _body(request: Request) -> dict:
    try:
        payload = await request.json()
    except ValueError:
        raise HTTPException(422, "the body must be a JSON object") from None
    if not isinstance(payload, dict):
        raise HTTPException(422, "the body must be a JSON object")
    return payload


# -- leads ----------------------------------------------------------------------------------------
@router.post("/api/v1/leads", status_code=201)
async def post_lead(request: Request, ws: WorkspaceDep, user=Depends(require_roles(*LEAD_WRITERS))):
    data = _parse(capture.LeadCreate, await _body(request))
    try:
        lead = capture.create_lead(ws, data, source="api", by=user.login)
    except capture.CaptureError as exc:
        raise _fail(exc) from None
    return _json(lead, 201)


@router.get("/api/v1/leads/sla/overdue")
def get_overdue(ws: WorkspaceDep, user: CurrentUser, hours: float | None = None):
    try:
        return _json({"hours": sla.sla_hours(ws, hours), "leads": sla.overdue(ws, datetime.now(), hours)})
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/api/v1/leads/assign")
def post_assign(ws: WorkspaceDep, user=Depends(require_roles("admin", "ops"))):
    return _json({"assigned": assignment.assign_mqls(ws)})


@router.get("/api/v1/leads/assignment-rules")
def get_rules(ws: WorkspaceDep, user: CurrentUser):
    return _json({"rules": assignment.rules(ws)})


@router.put("/api/v1/leads/assignment-rules/{rule_id}")
async def put_rule(rule_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles("admin", "ops"))):
    rule = _parse(assignment.RuleIn, {**await _body(request), "rule_id": rule_id})
    try:
        return _json(assignment.set_rule(ws, rule))
    except assignment.AssignmentError as exc:
        raise HTTPException(422, str(exc)) from None


@router.delete("/api/v1/leads/assignment-rules/{rule_id}")
def delete_rule(rule_id: str, ws: WorkspaceDep, user=Depends(require_roles("admin", "ops"))):
    if not assignment.delete_rule(ws, rule_id):
        raise HTTPException(404, f"assignment rule {rule_id!r} does not exist")
    return Response(status_code=204)


@router.get("/api/v1/leads/{lead_id}")
def get_lead(lead_id: str, ws: WorkspaceDep, user: CurrentUser):
    return _json(lead_detail(ws, lead_id))


def lead_detail(ws: Workspace, lead_id: str) -> dict:
    """What the API and the lead page show about one merged lead."""
    try:
        merged_id = dedupe.merged_id_of(ws, lead_id)
    except dedupe.DedupeError:
        raise HTTPException(404, f"lead {lead_id!r} does not exist") from None
    merged = dedupe.merged_leads(ws)
    row = merged.loc[merged["lead_id"] == merged_id].iloc[0].to_dict()
    members = dedupe.load_leads_by_id(ws, list(row["member_ids"]))
    return {
        "lead": {k: (None if is_missing(v) else v) for k, v in row.items()},
        "members": [{k: (None if is_missing(v) else v) for k, v in m.items()} for m in members.to_dict("records")],
        "why_merged": dedupe.why_merged(ws, merged_id),
        "merge_history": dedupe.merge_history(ws, merged_id),
        "transitions": handoff.history(ws, merged_id),
        "account": account_links.account_summary(ws, row.get("account_id") if isinstance(row.get("account_id"), str)
                                                 else None),
    }


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: str
    reason: str | None = None


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = None


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    account_id: str


class UndoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member_id: str


@router.post("/api/v1/leads/{lead_id}/transition")
async def post_transition(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*LEAD_WRITERS))):
    body = _parse(TransitionIn, await _body(request))
    try:
        return _json(handoff.transition(ws, lead_id, body.to, by=user.login, reason=body.reason))
    except handoff.LifecycleError as exc:
        raise _fail(exc) from None


@router.post("/api/v1/leads/{lead_id}/accept")
def post_accept(lead_id: str, ws: WorkspaceDep, user=Depends(require_roles(*LEAD_WRITERS))):
    try:
        return _json(handoff.accept(ws, lead_id, by=user.login))
    except handoff.LifecycleError as exc:
        raise _fail(exc) from None


@router.post("/api/v1/leads/{lead_id}/reject")
async def post_reject(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*LEAD_WRITERS))):
    body = _parse(ReasonIn, await _body(request))
    try:
        return _json(handoff.reject(ws, lead_id, by=user.login, reason=body.reason))
    except handoff.LifecycleError as exc:
        raise _fail(exc) from None


@router.post("/api/v1/leads/{lead_id}/undo-merge")
async def post_undo(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*LEAD_WRITERS))):
    body = _parse(UndoIn, await _body(request))
    try:
        dedupe.undo_merge(ws, lead_id, body.member_id, by=user.login)
    except dedupe.DedupeError as exc:
        status = 404 if "does not exist" in str(exc) else 409
        raise HTTPException(status, str(exc)) from None
    return _json(lead_detail(ws, lead_id))


@router.put("/api/v1/leads/{lead_id}/account")
async def put_account(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*LEAD_WRITERS))):
    body = _parse(AccountIn, await _body(request))
    try:
        account_links.link(ws, lead_id, body.account_id)
    except account_links.AccountLinkError as exc:
        raise _fail(exc) from None
    return _json(lead_detail(ws, lead_id))


@router.delete("/api/v1/leads/{lead_id}/account")
def delete_account(lead_id: str, ws: WorkspaceDep, user=Depends(require_roles(*LEAD_WRITERS))):
    try:
        account_links.unlink(ws, lead_id)
    except account_links.AccountLinkError as exc:
        raise _fail(exc) from None
    return _json(lead_detail(ws, lead_id))


# -- touches ---------------------------------------------------------------------------------------
@router.post("/api/v1/touches", status_code=201)
async def post_touch(request: Request, ws: WorkspaceDep, user=Depends(require_roles(*TOUCH_WRITERS))):
    data = _parse(capture.TouchCreate, await _body(request))
    if data.owner is None:
        data = data.model_copy(update={"owner": user.login})
    try:
        return _json(capture.log_touch(ws, data), 201)
    except capture.CaptureError as exc:
        raise _fail(exc) from None


# -- forms -----------------------------------------------------------------------------------------
@router.post("/api/v1/forms", status_code=201)
async def post_form(request: Request, ws: WorkspaceDep, user=Depends(require_roles("admin", "ops"))):
    data = _parse(capture.FormCreate, await _body(request))
    try:
        return _json(capture.create_form(ws, data), 201)
    except capture.CaptureError as exc:
        raise _fail(exc) from None


@router.post("/api/v1/forms/{form_id}")
async def post_form_submission(form_id: str, request: Request, ws: WorkspaceDep):
    """Public: no sign-in. JSON in → JSON out; an HTML form post gets a short thank-you page."""
    content_type = request.headers.get("content-type", "")
    is_html_form = content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
    if is_html_form:
        fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    else:
        fields = await _body(request)
    ip = request.client.host if request.client else None
    try:
        capture.submit_form(ws, form_id, fields, ip)  # the answer is the same whatever was stored
    except capture.CaptureError as exc:
        if is_html_form:
            return HTMLResponse(f"<p>{_escape(str(exc))}</p>", status_code=exc.status)
        raise _fail(exc) from None
    if is_html_form:
        return HTMLResponse("<p>Thank you — we will be in touch. / 感谢提交，我们会尽快联系您。</p>")
    # The same answer for a stored lead and a honeypot catch: bots learn nothing.
    return _json({"ok": True})


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _action_url(request: Request, form_id: str) -> str:
    return str(request.url_for("post_form_submission", form_id=form_id))


@router.get("/api/v1/forms/{form_id}/embed", response_class=HTMLResponse)
def get_embed(form_id: str, request: Request, ws: WorkspaceDep):
    try:
        form = capture.get_form(ws, form_id)
    except capture.CaptureError as exc:
        raise _fail(exc) from None
    return HTMLResponse(capture.embed_html(form, _action_url(request, form_id)))


@router.get("/forms/{form_id}/embed.js")
def get_embed_js(form_id: str, request: Request, ws: WorkspaceDep):
    try:
        form = capture.get_form(ws, form_id)
    except capture.CaptureError as exc:
        raise _fail(exc) from None
    snippet = capture.embed_html(form, _action_url(request, form_id))
    return Response(capture.embed_js(snippet), media_type="application/javascript")
