"""Lead pages: the inbox (/leads), a lead (/leads/{id}) with its hand-off actions, and the
lead-model evaluation (/leads/model).

The page computes nothing of its own: the inbox is filtered, sorted and paged on frames by
leads.inbox (merged leads from leads.dedupe, the "leads" report's score columns, the SLA due times
of leads.sla); the lead page's merged lead comes from leads.dedupe, scores and grades
from the "leads" report, the SLA list from leads.sla, the evaluation from the "lead-model"
report; accept / reject / disqualify / undo merge / log a touch call the lifecycle, dedupe and
capture functions, which own the rules. Personal data (e-mail, phone) is masked per role.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from b2bgrowth import i18n
from b2bgrowth.auth.security import mask_personal
from b2bgrowth.i18n.labels import N_
from b2bgrowth.leads import inbox as lead_inbox
from b2bgrowth.leads.inbox import STATUS_RANK
from b2bgrowth.leads.models import LEAD_STATUSES, TOUCH_KINDS
from b2bgrowth.reporting.jsonable import plain
from b2bgrowth.web.deps import PageUser, WorkspaceDep, require_roles
from b2bgrowth.web.filters import is_htmx, parse_date
from b2bgrowth.web.format import money
from b2bgrowth.web.reports import run_report
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
PER_PAGE = 25
GRADES = tuple(f"{fit}{eng}" for fit in "ABCD" for eng in "1234")
# Who acts on a lead: sales work the hand-off queue, admins may stand in. Viewers only look.
ACT_ROLES = ("admin", "sales")
UNDO_MERGE_ROLES = ("admin", "ops", "sales")
TOUCH_ROLES = ("admin", "ops", "sales", "csm")
ACCOUNT_ROLES = ("admin", "ops", "sales")  # who links a lead to an account
STATUS_LABELS = {s: s for s in LEAD_STATUSES}  # translated in templates with _(status)
N_("new"), N_("mql"), N_("sql"), N_("opportunity"), N_("customer"), N_("nurture"), N_("disqualified")
N_("call"), N_("email"), N_("meeting"), N_("event"), N_("download"), N_("webinar"), N_("demo"), N_("visit")
REASON_KINDS = {"fit": N_("fit"), "engagement": N_("engagement"), "prediction": N_("prediction")}
RULE_LABELS = {"email": N_("same e-mail"), "phone": N_("same phone"), "company_name": N_("same company and name"),
               "company+name": N_("same company and name"), "name_company": N_("same company and name")}


# -- data from the leads capability --------------------------------------------------------------

def merged_rows(ws: Workspace, lead_id: str | None = None) -> list[dict]:
    from b2bgrowth.leads.dedupe import merged_leads

    frame = merged_leads(ws)
    if lead_id is not None:
        frame = frame[frame["lead_id"] == lead_id]
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def scores_by_lead(ws: Workspace, errors: list[str]) -> dict[str, dict]:
    result = run_report(ws, "leads", errors) or {"leads": []}
    return {row["lead_id"]: row for row in result.get("leads", [])}


def overdue_by_lead(ws: Workspace, now: datetime) -> dict[str, dict]:
    """lead_id → its overdue SLA row (due time, owner …) for the leads past their first-touch SLA."""
    from b2bgrowth.leads.sla import overdue

    result = overdue(ws, now)
    if hasattr(result, "to_dict"):
        result = result.to_dict("records")
    rows = {}
    for row in result or []:
        if isinstance(row, str):
            rows[row] = {"lead_id": row}
        else:
            rows[row["lead_id"]] = {k: plain(v) for k, v in row.items()}
    return rows


def owner_of(row: dict) -> str | None:
    attributes = row.get("attributes") or {}
    return row.get("owner") or (attributes.get("owner") if isinstance(attributes, dict) else None)


def sla_due_of(row: dict, late: dict | None):
    for source in (late or {}, row):
        for key in ("sla_due", "due_at", "due"):
            if source.get(key):
                return source[key]
    return None


def inbox(ws: Workspace, role: str, status: str, owner: str, grade: str, sla: str, q: str, channel: str, page: int,
          now: datetime | None = None, created: tuple[date | None, date | None] = (None, None),
          reached: str = "", customers_only: bool = False) -> dict:
    """One page of the inbox, computed on frames by leads.inbox (PER_PAGE rows)."""
    return lead_inbox.inbox(ws, role, status, owner, grade, sla, q, channel, page, now=now, created=created,
                            reached=reached, per_page=PER_PAGE, customers_only=customers_only)


@router.get("/leads")
def leads_inbox(
    request: Request, ws: WorkspaceDep, user: PageUser,
    status: str = Query("", max_length=20), owner: str = Query("", max_length=128),
    grade: str = Query("", max_length=2), sla: str = Query("", max_length=10), q: str = Query("", max_length=200),
    channel: str = Query("", max_length=64), page: int = Query(1, ge=1, le=100_000),
    start: str | None = Query(None, alias="from", max_length=40), end: str | None = Query(None, alias="to", max_length=40),
    reached: str = Query("", max_length=20),
    customers: str = Query("", max_length=5), account_column: str = Query("", max_length=5),
):
    errors: list[str] = []
    created = (parse_date(start, "from", errors), parse_date(end, "to", errors))
    if reached and (reached not in STATUS_RANK or reached in ("nurture", "disqualified")):
        errors.append(i18n.gettext("reached: %(value)s is not one of %(choices)s", value=reached,
                                   choices="mql, sql, opportunity, customer"))
        reached = ""
    if status and status not in LEAD_STATUSES:
        errors.append(i18n.gettext("status: %(value)s is not one of %(choices)s", value=status,
                                   choices=", ".join(LEAD_STATUSES)))
        status = ""
    if grade and grade not in GRADES and grade not in "ABCD":
        errors.append(i18n.gettext("grade: %(value)s is not a grade (A1 … D4, or A … D)", value=grade))
        grade = ""
    # "existing customers only" and the optional account column: checkboxes (value "1")
    customers = "1" if customers in ("1", "on", "true") else ""
    account_column = "1" if account_column in ("1", "on", "true") else ""
    data = inbox(ws, user.role, status, owner, grade, sla, q, channel, page, created=created, reached=reached,
                 customers_only=bool(customers))
    data["errors"] = errors + data["errors"]
    filters = {"status": status, "owner": owner, "grade": grade, "sla": sla, "q": q, "channel": channel,
               "from": start or "", "to": end or "", "reached": reached, "customers": customers,
               "account_column": account_column}
    context = dict(data, filters=filters, statuses=LEAD_STATUSES, grades=GRADES,
                   query=lambda **extra: urlencode({**{k: v for k, v in filters.items() if v}, **extra}))
    if is_htmx(request) and request.headers.get("hx-target") == "leads-results":
        return render(request, "leads/_results.html", **context)
    return render(request, "leads/inbox.html", status_code=400 if errors else 200, **context)


# -- one lead ---------------------------------------------------------------------------------------

def lead_detail(ws: Workspace, lead_id: str, role: str) -> dict:
    from sqlalchemy import or_, select

    from b2bgrowth.leads.account_links import account_summary, suggestions
    from b2bgrowth.leads.dedupe import DedupeError, merge_history, merged_id_of, why_merged
    from b2bgrowth.leads.models import Lead, Touch
    from b2bgrowth.store.base import model_class

    # The pipeline's table, looked up by name: pipeline imports leads (its api), not the reverse.
    Opportunity = model_class("Opportunity")
    try:
        holder = merged_id_of(ws, lead_id)
    except DedupeError:
        raise HTTPException(404, f"no lead with id {lead_id!r}") from None
    if holder != lead_id:  # a member merged into another lead: show the lead that holds it
        return {"redirect": holder}
    row = merged_rows(ws, lead_id)[0]
    member_ids = list(row.get("member_ids") or [lead_id])
    with ws.store.read() as session:
        members = session.execute(select(Lead).where(Lead.lead_id.in_(member_ids))
                                  .order_by(Lead.created_at, Lead.lead_id)).scalars().all()
        touches = session.execute(select(Touch).where(Touch.lead_id.in_(member_ids))
                                  .order_by(Touch.at.desc(), Touch.touch_id)).scalars().all()
        opportunities = session.execute(select(Opportunity).where(or_(Opportunity.lead_id.in_(member_ids)))
                                        .order_by(Opportunity.created_at, Opportunity.opportunity_id)).scalars().all()
    first = next((m for m in members if m.lead_id == lead_id), members[0] if members else None)
    member_rows = [mask_personal({"lead_id": m.lead_id, "name": m.name, "company": m.company, "email": m.email,
                                  "phone": m.phone, "title": m.title, "channel": m.channel, "status": m.status,
                                  "created_at": m.created_at}, role) for m in members]
    errors: list[str] = []
    try:  # this lead's row of the "leads" report, computed for it alone (the report scores every lead)
        score = lead_inbox.lead_score(ws, lead_id) or {}
    except (ValueError, LookupError) as exc:  # as run_report words a report's failure
        errors.append(f"leads: {exc}")
        score = {}
    due = lead_inbox.sla_due(ws, lead_id, datetime.now())
    late = {"lead_id": lead_id, "due_at": due} if due is not None else None
    return {
        "lead": mask_personal(dict(row), role), "owner": owner_of(row), "first": first,
        "bant": {k: getattr(first, k, None) for k in ("budget", "authority", "need", "timeline")},
        "firmographics": {"title": getattr(first, "title", None), "industry": getattr(first, "industry", None),
                          "employees": getattr(first, "employees", None), "region": getattr(first, "region", None)},
        "members": member_rows, "why": [mask_merge_value(w, role) for w in why_merged(ws, lead_id)],
        "history": [mask_merge_value(h, role) for h in merge_history(ws, lead_id) if h["undone"]],
        "touches": [{"touch_id": t.touch_id, "at": t.at, "kind": t.kind, "lead_id": t.lead_id, "owner": t.owner,
                     "outcome": t.outcome} for t in touches],
        "opportunities": [{"opportunity_id": o.opportunity_id, "name": o.name, "stage": o.stage, "amount": o.amount,
                           "currency": o.currency, "status": o.status, "close_date": o.close_date, "owner": o.owner}
                          for o in opportunities],
        "score": score, "overdue": late is not None, "sla_due": sla_due_of(row, late), "errors": errors,
        "account": account_summary(ws, row.get("account_id")),
        "account_suggestions": [a for a in suggestions(ws, row.get("company"))
                                if a["account_id"] != row.get("account_id")],
    }


def mask_merge_value(pair: dict, role: str) -> dict:
    """A merge's shared value is personal data when the rule is e-mail or phone."""
    rule = pair.get("rule")
    if rule in ("email", "phone") and pair.get("value"):
        return dict(pair, value=mask_personal({rule: pair["value"]}, role)[rule])
    return pair


def render_lead(request, ws: Workspace, user, lead_id: str, status_code: int = 200, form_errors: dict | None = None,
                form_values: dict | None = None):
    data = lead_detail(ws, lead_id, user.role)
    if "redirect" in data:
        return RedirectResponse(f"/leads/{data['redirect']}", status_code=303)
    return render(
        request, "leads/detail.html", status_code=status_code, **data,
        can_act=user.role in ACT_ROLES, can_undo=user.role in UNDO_MERGE_ROLES, can_touch=user.role in TOUCH_ROLES,
        can_link=user.role in ACCOUNT_ROLES,
        touch_kinds=TOUCH_KINDS, rule_labels=RULE_LABELS, reason_kinds=REASON_KINDS, form_errors=form_errors or {},
        form_values=form_values or {}, money=lambda v, c="CNY": money(v, c),
    )


@router.get("/leads/model")
def lead_model_page(request: Request, ws: WorkspaceDep, user: PageUser):
    errors: list[str] = []
    evaluation = run_report(ws, "lead-model", errors)
    return render(request, "leads/model.html", evaluation=evaluation, errors=errors)


@router.get("/leads/{lead_id}")
def lead_page(lead_id: str, request: Request, ws: WorkspaceDep, user: PageUser):
    return render_lead(request, ws, user, lead_id)


def _act(request, ws: Workspace, user, lead_id: str, action, form_key: str, reason: str | None = None):
    """Run a lifecycle action; a refused transition is shown on the lead page as a 422 form error."""
    try:
        action()
    except (ValueError, LookupError) as exc:  # LifecycleError / CaptureError / DedupeError carry the reason
        message = str(exc.args[0]) if exc.args else str(exc)
        status = getattr(exc, "status", 422)
        if status == 404:
            raise HTTPException(404, message) from None
        return render_lead(request, ws, user, lead_id, status_code=status, form_errors={form_key: message},
                           form_values={"reason": reason or ""})
    return RedirectResponse(f"/leads/{lead_id}", status_code=303)


def _require_reason(request, ws: Workspace, user, lead_id: str, reason: str, form_key: str):
    if reason.strip():
        return None
    return render_lead(request, ws, user, lead_id, status_code=422,
                       form_errors={form_key: i18n.gettext("reason: a reason is required")})


@router.post("/leads/{lead_id}/accept")
def accept_lead(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*ACT_ROLES))):
    from b2bgrowth.leads import handoff

    return _act(request, ws, user, lead_id, lambda: handoff.accept(ws, lead_id, by=user.login), "accept")


@router.post("/leads/{lead_id}/reject")
def reject_lead(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*ACT_ROLES)),
                reason: str = Form("", max_length=500)):
    from b2bgrowth.leads import handoff

    missing = _require_reason(request, ws, user, lead_id, reason, "reject")
    if missing is not None:
        return missing
    return _act(request, ws, user, lead_id,
                lambda: handoff.reject(ws, lead_id, by=user.login, reason=reason.strip()), "reject", reason)


@router.post("/leads/{lead_id}/disqualify")
def disqualify_lead(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*ACT_ROLES)),
                    reason: str = Form("", max_length=500)):
    missing = _require_reason(request, ws, user, lead_id, reason, "disqualify")
    if missing is not None:
        return missing
    return _act(request, ws, user, lead_id, lambda: disqualify(ws, lead_id, user.login, reason.strip()),
                "disqualify", reason)


def disqualify(ws: Workspace, lead_id: str, by: str, reason: str):
    from b2bgrowth.leads import handoff

    return handoff.transition(ws, lead_id, "disqualified", by=by, reason=reason)


@router.post("/leads/{lead_id}/undo-merge")
def undo_merge_page(lead_id: str, request: Request, ws: WorkspaceDep,
                    user=Depends(require_roles(*UNDO_MERGE_ROLES)), member_id: str = Form(..., max_length=64)):
    from b2bgrowth.leads.dedupe import undo_merge

    return _act(request, ws, user, lead_id, lambda: undo_merge(ws, lead_id, member_id, by=user.login), "undo")


@router.post("/leads/{lead_id}/touches")
def log_touch_page(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*TOUCH_ROLES)),
                   kind: str = Form(..., max_length=16), at: str = Form("", max_length=40),
                   outcome: str = Form("", max_length=255)):
    from b2bgrowth.leads.capture import TouchCreate, log_touch

    values = {"kind": kind, "at": at, "outcome": outcome}
    if kind not in TOUCH_KINDS:
        return render_lead(request, ws, user, lead_id, status_code=422, form_values=values, form_errors={
            "touch": i18n.gettext("kind: %(value)s is not one of %(choices)s", value=kind,
                                  choices=", ".join(TOUCH_KINDS))})
    when = datetime.now().replace(microsecond=0)
    if at.strip():
        try:
            when = datetime.fromisoformat(at.strip())
        except ValueError:
            return render_lead(request, ws, user, lead_id, status_code=422, form_values=values, form_errors={
                "touch": i18n.gettext("at: %(value)s is not a date and time (use YYYY-MM-DDTHH:MM)", value=at)})
    return _act(request, ws, user, lead_id,
                lambda: log_touch(ws, TouchCreate(kind=kind, at=when, lead_id=lead_id, owner=user.login,
                                                  outcome=outcome.strip() or None)), "touch")


@router.post("/leads/{lead_id}/account")
def link_account_page(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*ACCOUNT_ROLES)),
                      account_id: str = Form("", max_length=64)):
    from b2bgrowth.leads.account_links import AccountLinkError, link

    account_id = account_id.strip()
    if not account_id:
        return render_lead(request, ws, user, lead_id, status_code=422, form_errors={
            "account": i18n.gettext("account_id: an account is required")})
    try:
        link(ws, lead_id, account_id)
    except AccountLinkError as exc:
        if exc.status == 404:
            raise HTTPException(404, str(exc)) from None
        # The reason in the reader's language (the API keeps the English one).
        return render_lead(request, ws, user, lead_id, status_code=422, form_values={"account_id": account_id},
                           form_errors={"account": i18n.gettext("account_id: account %(account)s does not exist",
                                                                account=account_id)})
    return RedirectResponse(f"/leads/{lead_id}", status_code=303)


@router.post("/leads/{lead_id}/account/unlink")
def unlink_account_page(lead_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles(*ACCOUNT_ROLES))):
    from b2bgrowth.leads.account_links import unlink

    return _act(request, ws, user, lead_id, lambda: unlink(ws, lead_id), "account")


def register_web(web) -> None:
    web.add_router(router)
    web.add_nav("/leads", "Leads", order=22)
