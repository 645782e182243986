"""Experiments registry — SPEC C11: experiments and their frozen unit assignments.

An experiment's variants, metric declarations, population and ROI settings are JSON validated
by schemas.py. Assignments of a fixed population are stored once at start so they never move.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base

EXPERIMENT_UNITS = ("account", "contact", "user")
EXPERIMENT_STATUSES = ("draft", "running", "stopped", "decided")


class Experiment(Base):
    __tablename__ = "experiments"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    hypothesis: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(128))
    unit: Mapped[str] = mapped_column(String(16), default="account")
    # [{"name": "control", "weight": 0.5}, ...]
    variants: Mapped[list] = mapped_column(Attributes, default=list)
    # {"primary": [...], "secondary": [...], "guardrail": [...]}
    metrics: Mapped[dict | None] = mapped_column(Attributes)
    population: Mapped[dict | None] = mapped_column(Attributes)
    stratify_by: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    decision: Mapped[str | None] = mapped_column(String(32))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # added by migration 0002
    name: Mapped[str | None] = mapped_column(String(255))
    roi: Mapped[dict | None] = mapped_column(Attributes)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    # added by migration 0009: who took the decision (the review trail of "test small, then
    # scale") and the planned run, so the list can flag a running test past its planned end.
    decided_by: Mapped[str | None] = mapped_column(String(128))
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)


class ExperimentAssignment(Base):
    """Which variant a unit got. Written once (at start, or on first hash assignment) and never changed."""

    __tablename__ = "experiment_assignments"

    experiment_key: Mapped[str] = mapped_column(ForeignKey("experiments.key", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    variant: Mapped[str] = mapped_column(String(64))
    stratum: Mapped[str | None] = mapped_column(String(128))
    assigned_at: Mapped[datetime] = mapped_column(DateTime)
