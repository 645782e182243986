"""Playbook rule settings — one row per rule an admin has changed (issue 4, SPEC C8).

The rules themselves (what they look at, their task titles) are code in rules.py; a row here
only overrides a rule's settings: enabled, due_days and its thresholds (`params`). A rule with
no row runs with its documented defaults. Every save bumps `version` (kept for audit).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base


class PlaybookRule(Base):
    __tablename__ = "cs_playbook_rules"

    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    due_days: Mapped[int] = mapped_column(Integer)
    params: Mapped[dict | None] = mapped_column(Attributes)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(String(128))
