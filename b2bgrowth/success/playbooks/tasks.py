"""CS tasks: listing and the actions people take (done, cancel, reopen, snooze, comment, assign).

Status: open → done | cancelled (reopen puts a closed task back to open); open → snoozed until
a day D (D after today) → open again from D on: `wake_snoozed` writes that change (run_playbooks
and every action call it), and reads already show a snoozed task whose day has come as open.
Every action appends an entry to `comments` — {"kind": comment|status|snooze|assign, "author",
"at", "text"} — so the task's history is its comment thread.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.success.models import TASK_STATUSES, TASK_TYPES, CsTask
from b2bgrowth.success.playbooks.rules import task_title

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

ACTIVE = ("open", "snoozed")
DUE_FILTERS = ("overdue", "week")
MAX_COMMENT = 4000


class TaskError(ValueError):
    """An action that cannot be applied; the message says why."""


class TaskNotFound(KeyError):
    pass


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def effective_status(task: CsTask, today: date) -> str:
    if task.status == "snoozed" and task.snoozed_until is not None and task.snoozed_until <= today:
        return "open"
    return task.status


def wake_snoozed(session, today: date) -> int:
    """Snoozed tasks whose day has come (snoozed_until ≤ today) are open again."""
    rows = session.execute(select(CsTask).where(CsTask.status == "snoozed",
                                                CsTask.snoozed_until <= today)).scalars().all()
    for task in rows:
        task.status, task.snoozed_until, task.updated_at = "open", None, _now()
        task.comments = [*(task.comments or []), _entry("status", "playbooks", "snooze ended: open")]
    return len(rows)


def _entry(kind: str, author: str | None, text: str) -> dict:
    return {"kind": kind, "author": author or "", "at": _now().isoformat(), "text": text}


def _act(ws: Workspace, task_id: str, change, today: date | None = None) -> dict:
    today = today or date.today()
    with ws.store.write(touched=["cs_tasks"]) as session:
        wake_snoozed(session, today)
        task = session.get(CsTask, task_id)
        if task is None:
            raise TaskNotFound(f"no task {task_id!r}")
        change(task)
        task.updated_at = _now()
        session.flush()
        name = session.get(Account, task.account_id)
        return task_dict(task, today, name.name if name else None)


def set_status(ws: Workspace, task_id: str, status: str, by: str | None, today: date | None = None) -> dict:
    """done / cancelled close an open or snoozed task; open reopens a closed one."""
    if status not in ("done", "cancelled", "open"):
        raise TaskError(f"status: {status!r} is not one of done, cancelled, open")

    def change(task: CsTask) -> None:
        if status == "open" and task.status in ACTIVE:
            raise TaskError(f"task {task.task_id} is already {task.status}")
        if status != "open" and task.status not in ACTIVE:
            raise TaskError(f"task {task.task_id} is {task.status}; reopen it first")
        task.status, task.snoozed_until = status, None
        task.closed_at = None if status == "open" else _now()
        task.comments = [*(task.comments or []), _entry("status", by, status)]

    return _act(ws, task_id, change, today)


def snooze(ws: Workspace, task_id: str, until: date, by: str | None, today: date | None = None) -> dict:
    today = today or date.today()
    if until <= today:
        raise TaskError(f"snooze until {until.isoformat()}: the day must be after today ({today.isoformat()})")

    def change(task: CsTask) -> None:
        if task.status not in ACTIVE:
            raise TaskError(f"task {task.task_id} is {task.status}; only open or snoozed tasks can be snoozed")
        task.status, task.snoozed_until = "snoozed", until
        task.comments = [*(task.comments or []), _entry("snooze", by, until.isoformat())]

    return _act(ws, task_id, change, today)


def add_comment(ws: Workspace, task_id: str, text: str, by: str | None, today: date | None = None) -> dict:
    text = (text or "").strip()
    if not text:
        raise TaskError("comment: the text is empty")
    if len(text) > MAX_COMMENT:
        raise TaskError(f"comment: {len(text)} characters, at most {MAX_COMMENT}")

    def change(task: CsTask) -> None:
        task.comments = [*(task.comments or []), _entry("comment", by, text)]

    return _act(ws, task_id, change, today)


def assign(ws: Workspace, task_id: str, owner: str, by: str | None, today: date | None = None) -> dict:
    owner = (owner or "").strip()
    if not owner or len(owner) > 128:
        raise TaskError("owner: give a name of 1 to 128 characters")

    def change(task: CsTask) -> None:
        task.comments = [*(task.comments or []), _entry("assign", by, f"{task.owner or ''} → {owner}")]
        task.owner = owner

    return _act(ws, task_id, change, today)


def task_dict(task: CsTask, today: date, account_name: str | None = None, translate=lambda s: s) -> dict:
    status = effective_status(task, today)
    return {
        "task_id": task.task_id, "account_id": task.account_id, "account_name": account_name,
        "type": task.type, "rule_id": task.rule_id, "signal_key": task.signal_key,
        "title": task_title(task.rule_id, task.signal, task.title, translate),
        "owner": task.owner, "status": status,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "overdue": bool(status == "open" and task.due_date is not None and task.due_date < today),
        "snoozed_until": task.snoozed_until.isoformat() if status == "snoozed" and task.snoozed_until else None,
        "signal_date": task.signal_date.isoformat() if task.signal_date else None,
        "signal": task.signal or {},
        "created_at": task.created_at.isoformat() if task.created_at else None,
        "closed_at": task.closed_at.isoformat() if task.closed_at else None,
        "comments": list(task.comments or []),
    }


def week_bounds(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def check_filters(status: str | None, type_: str | None, due: str | None) -> None:
    for name, value, allowed in (("status", status, TASK_STATUSES), ("type", type_, TASK_TYPES),
                                 ("due", due, DUE_FILTERS)):
        if value and value not in allowed:
            raise TaskError(f"{name}: {value!r} is not one of {', '.join(allowed)}")


def list_tasks(ws: Workspace, today: date | None = None, *, owner: str | None = None, status: str | None = None,
               type_: str | None = None, account: str | None = None, due: str | None = None,
               translate=lambda s: s) -> list[dict]:
    """Tasks filtered (each filter optional), by due date then id. Status is the effective one
    on `today`; due=overdue: open and due before today; due=week: open and due in today's
    Monday–Sunday week."""
    today = today or date.today()
    check_filters(status, type_, due)
    query = select(CsTask, Account.name).outerjoin(Account, Account.account_id == CsTask.account_id)
    if owner:
        query = query.where(CsTask.owner == owner)
    if type_:
        query = query.where(CsTask.type == type_)
    if account:
        query = query.where(CsTask.account_id == account)
    with ws.store.read() as session:
        rows = session.execute(query).all()
    out = [task_dict(task, today, name, translate) for task, name in rows]
    if status:
        out = [t for t in out if t["status"] == status]
    if due == "overdue":
        out = [t for t in out if t["overdue"]]
    elif due == "week":
        first, last = week_bounds(today)
        out = [t for t in out if t["status"] == "open" and t["due_date"]
               and first.isoformat() <= t["due_date"] <= last.isoformat()]
    return sorted(out, key=lambda t: (t["due_date"] or "9999", t["task_id"]))


def get_task(ws: Workspace, task_id: str, today: date | None = None, translate=lambda s: s) -> dict:
    with ws.store.read() as session:
        task = session.get(CsTask, task_id)
        if task is None:
            raise TaskNotFound(f"no task {task_id!r}")
        account = session.get(Account, task.account_id)
        return task_dict(task, today or date.today(), account.name if account else None, translate)
