"""Report `tasks`: the CS task list with filters (docs/metrics.md § Customer success — tasks).

    b2bgrowth report tasks --json [--owner O] [--status S] [--type T] [--account A] [--due overdue|week]
    → {"as_of", "tasks": [{task_id, account_id, account_name, type, rule_id, signal_key, title,
       owner, status, due_date, overdue, snoozed_until, signal_date, signal, created_at,
       closed_at, comments}], "counts": {"open", "snoozed", "done", "cancelled", "overdue"}}
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from b2bgrowth.reporting.registry import Report, ReportParams
from b2bgrowth.success.models import TASK_STATUSES
from b2bgrowth.success.playbooks.results import TasksResult


class TasksParams(ReportParams):
    owner: str | None = Field(default=None, max_length=128, description="Only tasks of this owner.")
    status: Literal["open", "snoozed", "done", "cancelled"] | None = Field(
        default=None, description="Only this status (a snoozed task whose day has come counts as open).")
    type: Literal["risk", "onboarding", "renewal", "expansion", "detractor"] | None = Field(
        default=None, description="Only this task type.")
    account: str | None = Field(default=None, max_length=64, description="Only this account_id.")
    due: Literal["overdue", "week"] | None = Field(
        default=None, description="overdue: open and due before as_of; week: open and due in as_of's Mon–Sun week.")
    as_of: date | None = Field(default=None, alias="as-of", description="The day statuses and overdue are read on (default today).")


class TasksReport(Report):
    name = "tasks"
    title = "Customer-success tasks from playbooks (filters: owner, status, type, account, due)"
    Params = TasksParams
    Result = TasksResult

    def execute(self, ws, params: TasksParams) -> dict:
        from b2bgrowth.success.playbooks.tasks import list_tasks

        today = params.as_of or date.today()
        tasks = list_tasks(ws, today, owner=params.owner, status=params.status, type_=params.type,
                           account=params.account, due=params.due)
        counts = {s: sum(t["status"] == s for t in tasks) for s in TASK_STATUSES}
        counts["overdue"] = sum(t["overdue"] for t in tasks)
        return {"as_of": today.isoformat(), "tasks": tasks, "counts": counts}
