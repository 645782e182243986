"""Experiments registry — SPEC C11. Assignment and statistics come with their issue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
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
