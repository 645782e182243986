"""Tasks page: /success/tasks — my tasks / all tasks with filters (type, status, owner, due),
inline actions (done, snooze, comment; HTMX swaps the row), /success/tasks/{id} with the
comment thread, and /success/playbooks — the rules with their settings (admins edit).

Forms post with the CSRF field; an HTMX post answers the updated row, a plain post redirects
back. Actions: admin, ops, csm (api.EDIT_ROLES); rule edits: admin; viewers read only.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from b2bgrowth import i18n
from b2bgrowth.i18n.labels import N_
from b2bgrowth.success.models import TASK_STATUSES, TASK_TYPES
from b2bgrowth.success.playbooks import tasks as task_ops
from b2bgrowth.success.playbooks.api import EDIT_ROLES, RUN_ROLES, TaskAction, perform
from b2bgrowth.web.deps import PageUser, WorkspaceDep, require_roles
from b2bgrowth.web.filters import is_htmx
from b2bgrowth.web.templating import render

router = APIRouter(include_in_schema=False)
TYPE_LABELS = [N_("risk"), N_("onboarding"), N_("renewal"), N_("expansion"), N_("detractor")]
STATUS_LABELS = [N_("open"), N_("snoozed"), N_("done"), N_("cancelled")]
DUE_LABELS = {"overdue": N_("Overdue"), "week": N_("Due this week")}
RULE_LABELS = {"red_renewal": N_("Red health and renewal soon"), "usage_down": N_("Usage down"),
               "detractor": N_("Detractor NPS"), "onboarding_overdue": N_("Overdue onboarding milestone"),
               "seat_utilisation": N_("Seat utilisation high"), "renewal_due": N_("Contract due")}
HISTORY_LABELS = [N_("status"), N_("snooze"), N_("assign"), N_("snooze ended: open")]
PARAM_LABELS = {"days": N_("days"), "drop": N_("drop"), "max_score": N_("max_score"), "threshold": N_("threshold")}


def _mine(user) -> set[str]:
    return {n for n in (user.login, getattr(user, "display_name", None)) if n}


def _clean(value: str | None, allowed) -> str:
    return value if value in allowed else ""


@router.get("/success/tasks")
def tasks_page(request: Request, ws: WorkspaceDep, user: PageUser,
               scope: str | None = Query(None, max_length=8), type: str | None = Query(None, max_length=16),
               status: str | None = Query(None, max_length=16), owner: str | None = Query(None, max_length=128),
               due: str | None = Query(None, max_length=16), account: str | None = Query(None, max_length=64)):
    scope = scope if scope in ("mine", "all") else ("mine" if user.role == "csm" else "all")
    filters = {"scope": scope, "type": _clean(type, TASK_TYPES), "status": _clean(status, TASK_STATUSES),
               "owner": (owner or "").strip(), "due": _clean(due, DUE_LABELS), "account": (account or "").strip()}
    if not filters["status"] and not filters["due"] and status is None:
        filters["status"] = "open"  # the working list by default; "all statuses" is an explicit empty choice
    everything = task_ops.list_tasks(ws, translate=i18n.gettext)
    owners = sorted({t["owner"] for t in everything if t["owner"]})
    rows = task_ops.list_tasks(ws, owner=filters["owner"] or None, status=filters["status"] or None,
                               type_=filters["type"] or None, account=filters["account"] or None,
                               due=filters["due"] or None, translate=i18n.gettext)
    if scope == "mine":
        rows = [t for t in rows if t["owner"] in _mine(user)]
    counts = {"open": sum(t["status"] == "open" for t in everything),
              "overdue": sum(t["overdue"] for t in everything),
              "mine": sum(t["status"] == "open" and t["owner"] in _mine(user) for t in everything)}
    template = "success/_tasks_rows.html" if is_htmx(request) else "success/tasks.html"
    return render(request, template, tasks=rows, filters=filters, owners=owners, counts=counts,
                  types=TASK_TYPES, statuses=TASK_STATUSES, due_labels=DUE_LABELS, can_edit=user.role in EDIT_ROLES,
                  can_run=user.role in RUN_ROLES, today=date.today().isoformat())


@router.get("/success/tasks/{task_id}")
def task_page(task_id: str, request: Request, ws: WorkspaceDep, user: PageUser):
    try:
        task = task_ops.get_task(ws, task_id, translate=i18n.gettext)
    except task_ops.TaskNotFound as exc:
        raise HTTPException(404, exc.args[0]) from None
    return render(request, "success/task_detail.html", task=task, can_edit=user.role in EDIT_ROLES,
                  today=date.today().isoformat(), rule_labels=RULE_LABELS)


@router.post("/success/tasks/{task_id}/{action}")
def task_action(task_id: str, action: str, request: Request, ws: WorkspaceDep,
                user=Depends(require_roles(*EDIT_ROLES)), until: str = Form(""), text: str = Form(""),
                owner: str = Form(""), view: str = Form("row")):
    if action not in ("done", "cancel", "reopen", "snooze", "comment", "assign"):
        raise HTTPException(404, f"no task action {action!r}")
    error = None
    try:
        day = date.fromisoformat(until) if until else None
    except ValueError:
        day, error = None, i18n.gettext("until: %(value)s is not a date", value=until)
    if error is None:
        try:
            perform(ws, task_id, TaskAction(action=action, until=day, text=text or None, owner=owner or None),
                    user.login)
        except task_ops.TaskNotFound as exc:
            raise HTTPException(404, exc.args[0]) from None
        except (task_ops.TaskError, ValueError) as exc:
            error = str(exc.args[0]) if exc.args else str(exc)
    if is_htmx(request) and view == "row":
        task = task_ops.get_task(ws, task_id, translate=i18n.gettext)
        return render(request, "success/_task_row.html", status_code=422 if error else 200, t=task, error=error,
                      can_edit=True, today=date.today().isoformat())
    if error:
        task = task_ops.get_task(ws, task_id, translate=i18n.gettext)
        return render(request, "success/task_detail.html", status_code=422, task=task, error=error, can_edit=True,
                      today=date.today().isoformat(), rule_labels=RULE_LABELS)
    return RedirectResponse(f"/success/tasks/{task_id}" if view == "detail" else "/success/tasks", status_code=303)


@router.get("/success/playbooks")
def rules_page(request: Request, ws: WorkspaceDep, user: PageUser, saved: str | None = Query(None, max_length=64)):
    from b2bgrowth.success.playbooks.config import load_rules

    return render(request, "success/tasks_rules.html", rules=[r.as_dict() for r in load_rules(ws)],
                  rule_labels=RULE_LABELS, param_labels=PARAM_LABELS, can_admin=user.role == "admin",
                  can_run=user.role in RUN_ROLES, saved=saved, errors={})


@router.post("/success/playbooks/run")
def run_now(request: Request, ws: WorkspaceDep, user=Depends(require_roles(*RUN_ROLES))):
    from b2bgrowth.success.playbooks.engine import run_playbooks

    run_playbooks(ws)
    return RedirectResponse("/success/tasks", status_code=303)


@router.post("/success/playbooks/{rule_id}")
async def save_rule_page(rule_id: str, request: Request, ws: WorkspaceDep, user=Depends(require_roles("admin"))):
    from b2bgrowth.success.playbooks.config import RuleError, load_rules, save_rule

    form = await request.form()
    params = {k[len("param_"):]: v for k, v in form.items() if k.startswith("param_")}
    due_days = str(form.get("due_days", "")).strip()
    try:
        save_rule(ws, rule_id, enabled=form.get("enabled") == "on", params=params, by=user.login,
                  due_days=int(due_days) if due_days else None)
    except ValueError as exc:  # RuleError, or a due_days that is not a number
        message = str(exc) if isinstance(exc, RuleError) else i18n.gettext(
            "due_days: %(value)s is not a whole number", value=due_days)
        return render(request, "success/tasks_rules.html", status_code=422,
                      rules=[r.as_dict() for r in load_rules(ws)], rule_labels=RULE_LABELS,
                      param_labels=PARAM_LABELS, can_admin=True, can_run=True, saved=None, errors={rule_id: message})
    return RedirectResponse(f"/success/playbooks?saved={rule_id}", status_code=303)


def register_web(web) -> None:
    from b2bgrowth.success.playbooks.api import router as api_router

    web.add_router(api_router)
    web.add_router(router)
    web.add_nav("/success/tasks", "CS tasks", order=42)
