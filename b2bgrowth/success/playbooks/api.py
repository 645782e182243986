"""JSON API for CS tasks and playbooks (tokens or session + CSRF; viewers read-only).

    GET  /api/v1/success/tasks?owner=&status=&type=&account=&due=     any signed-in role
    GET  /api/v1/success/tasks/{task_id}                               any signed-in role
    POST /api/v1/success/tasks/{task_id}/actions                       admin, ops, csm
         {"action": "done"|"cancel"|"reopen"|"snooze"|"comment"|"assign",
          "until": "YYYY-MM-DD" (snooze), "text": "…" (comment), "owner": "…" (assign)}
    POST /api/v1/success/playbooks/run  {"as_of": "YYYY-MM-DD" | null}  admin, ops
Unknown task 404; a refused action or bad field 422 with the reason; other roles 403.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from b2bgrowth.success.playbooks import tasks as task_ops
from b2bgrowth.web.deps import CurrentUser, WorkspaceDep, require_roles

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

EDIT_ROLES = ("admin", "ops", "csm")  # who acts on tasks
RUN_ROLES = ("admin", "ops")  # who runs the playbooks by hand
router = APIRouter(prefix="/api/v1/success", tags=["success"])


class TaskAction(BaseModel):
    action: Literal["done", "cancel", "reopen", "snooze", "comment", "assign"]
    until: date | None = None
    text: str | None = Field(default=None, max_length=task_ops.MAX_COMMENT)
    owner: str | None = Field(default=None, max_length=128)


class RunRequest(BaseModel):
    as_of: date | None = None


def perform(ws: Workspace, task_id: str, body: TaskAction, login: str) -> dict:
    """Apply one action; the web page's forms call this too."""
    if body.action in ("done", "cancel", "reopen"):
        status = {"done": "done", "cancel": "cancelled", "reopen": "open"}[body.action]
        return task_ops.set_status(ws, task_id, status, login)
    if body.action == "snooze":
        if body.until is None:
            raise task_ops.TaskError("until: snooze needs a day (YYYY-MM-DD)")
        return task_ops.snooze(ws, task_id, body.until, login)
    if body.action == "comment":
        return task_ops.add_comment(ws, task_id, body.text or "", login)
    return task_ops.assign(ws, task_id, body.owner or "", login)


@router.get("/tasks", summary="CS tasks with filters")
def list_tasks(ws: WorkspaceDep, user: CurrentUser, owner: str | None = Query(None, max_length=128),
               status: str | None = Query(None, max_length=16), type: str | None = Query(None, max_length=16),
               account: str | None = Query(None, max_length=64), due: str | None = Query(None, max_length=16)) -> dict:
    try:
        return {"tasks": task_ops.list_tasks(ws, owner=owner, status=status, type_=type, account=account, due=due)}
    except task_ops.TaskError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/tasks/{task_id}", summary="One CS task with its comments")
def get_task(task_id: str, ws: WorkspaceDep, user: CurrentUser) -> dict:
    try:
        return task_ops.get_task(ws, task_id)
    except task_ops.TaskNotFound as exc:
        raise HTTPException(404, exc.args[0]) from None


@router.post("/tasks/{task_id}/actions", summary="Done, cancel, reopen, snooze, comment or assign a task",
             dependencies=[Depends(require_roles(*EDIT_ROLES))])
async def act(task_id: str, body: TaskAction, ws: WorkspaceDep, user: CurrentUser) -> dict:
    try:
        return await run_in_threadpool(perform, ws, task_id, body, user.login)
    except task_ops.TaskNotFound as exc:
        raise HTTPException(404, exc.args[0]) from None
    except task_ops.TaskError as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/playbooks/run", summary="Run the playbooks now (or as of a day)",
             dependencies=[Depends(require_roles(*RUN_ROLES))])
async def run(body: RunRequest, ws: WorkspaceDep, user: CurrentUser) -> dict:
    from b2bgrowth.success.playbooks.engine import run_playbooks

    return await run_in_threadpool(run_playbooks, ws, body.as_of)
