"""Configuration table of issue 4's onboarding (editable by admins).

`onboarding_milestones` holds the milestone definitions; empty = the documented defaults
(b2bgrowth.success.onboarding_config.DEFAULT_MILESTONES). The tier rules' table
(`tier_rules`) lives with the accounts: b2bgrowth.accounts.models.TierRule.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Base


class OnboardingMilestone(Base):
    """One onboarding milestone: what counts as done, and by which day after first payment."""

    __tablename__ = "onboarding_milestones"

    milestone_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    # event: `threshold` distinct users did `event`; event_count: `threshold` events named
    # `event`; active_users: `threshold` distinct users active (any event, or `event`) within
    # `window_days` consecutive days.
    kind: Mapped[str] = mapped_column(String(16))
    event: Mapped[str | None] = mapped_column(String(128))
    threshold: Mapped[int] = mapped_column(Integer, default=1)
    window_days: Mapped[int | None] = mapped_column(Integer)
    target_days: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(String(128))
