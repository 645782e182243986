"""The result of the tasks report as a pydantic model: the JSON in GET /api/v1/openapi.json,
checked on every run (reporting/registry.py `result_json`). Definitions: docs/metrics.md
§ Customer success — tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from b2bgrowth.reporting.registry import ResultModel
from b2bgrowth.success.models import TASK_STATUSES, TASK_TYPES


class TaskComment(ResultModel):
    kind: Literal["comment", "status", "snooze", "assign"]
    author: str
    at: datetime
    text: str


class Task(ResultModel):
    task_id: str
    account_id: str
    account_name: str | None
    type: Literal[TASK_TYPES]  # type: ignore[valid-type]
    rule_id: str | None
    signal_key: str
    title: str
    owner: str | None
    status: Literal[TASK_STATUSES]  # type: ignore[valid-type]  (a snoozed task whose day has come is open)
    due_date: date | None
    overdue: bool
    snoozed_until: date | None
    signal_date: date | None
    signal: dict[str, Any]  # the values that fired the rule (they depend on the rule)
    created_at: datetime | None
    closed_at: datetime | None
    comments: list[TaskComment]


class TaskCounts(ResultModel):
    open: int
    snoozed: int
    done: int
    cancelled: int
    overdue: int


class TasksResult(ResultModel):
    as_of: date
    tasks: list[Task]
    counts: TaskCounts
