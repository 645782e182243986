"""Customer success — SPEC C8. Usage lives in the event store; scorecards and tasks come with
their issue. Declared here so the schema is whole from the first migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base

TASK_TYPES = ("risk", "onboarding", "renewal", "expansion", "detractor")
TASK_STATUSES = ("open", "snoozed", "done", "cancelled")


class Scorecard(Base):
    __tablename__ = "scorecards"

    scorecard_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    applies_to: Mapped[dict | None] = mapped_column(Attributes)
    measures: Mapped[list] = mapped_column(Attributes, default=list)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(String(128))
    # Colour cut-offs {"green": 70, "yellow": 40} and the editor's note on what changed (issue 4).
    colors: Mapped[dict | None] = mapped_column(Attributes)
    note: Mapped[str | None] = mapped_column(String(500))


class CsTask(Base):
    __tablename__ = "cs_tasks"

    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64), index=True)
    type: Mapped[str] = mapped_column(String(16))
    # Unique: a signal yields at most one task ever (run_playbooks keeps or skips an existing
    # one); the database enforces it even for two runs at the same moment.
    signal_key: Mapped[str] = mapped_column(String(255), index=True, unique=True)
    title: Mapped[str] = mapped_column(String(255))
    owner: Mapped[str | None] = mapped_column(String(128))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    comments: Mapped[list | None] = mapped_column(Attributes)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    detail: Mapped[str | None] = mapped_column(Text)
    # Added by the playbooks (migration 0007): the rule that made the task, the as-of date of
    # the run that saw the signal, the signal's values (they fill the translated title when
    # shown), and when the task was last changed / closed.
    rule_id: Mapped[str | None] = mapped_column(String(64), index=True)
    signal_date: Mapped[date | None] = mapped_column(Date)
    signal: Mapped[dict | None] = mapped_column(Attributes)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
