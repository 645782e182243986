"""Onboarding milestone definitions: the defaults, validation, load and save (admins edit them).

A milestone is reached on the first day (on or after the account's first paid day) that:

    event         `threshold` distinct users have done `event` (threshold 1 = its first occurrence)
    event_count   the account has done `event` `threshold` times in all
    active_users  `threshold` distinct users were active (any event, or only `event` when set)
                  within `window_days` consecutive days (1 = in one day, 7 = within a week)

and is due `target_days` after the first paid day. Defaults (documented in
docs/customer-success.md §Onboarding), used while `onboarding_milestones` is empty:

    first_login         first `login`                               by day 7
    three_active_users  3 distinct active users within 7 days       by day 30
    first_report        first `run_report` (the key feature)        by day 45
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from b2bgrowth.i18n.labels import N_  # default names are translated on the pages

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

KINDS = ("event", "event_count", "active_users")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
MAX_TARGET_DAYS = 365


@dataclass(frozen=True)
class Milestone:
    milestone_id: str
    name: str
    kind: str
    target_days: int
    event: str | None = None
    threshold: int = 1
    window_days: int | None = None
    position: int = 0
    active: bool = True

    def describe(self) -> str:
        """One English line for CLI output (the page renders its own, translated)."""
        if self.kind == "event":
            who = "first" if self.threshold == 1 else f"{self.threshold} users did"
            return f"{who} {self.event} by day {self.target_days}"
        if self.kind == "event_count":
            return f"{self.threshold}× {self.event} by day {self.target_days}"
        scope = f" doing {self.event}" if self.event else ""
        return f"{self.threshold} active users{scope} within {self.window_days} days by day {self.target_days}"


DEFAULT_MILESTONES = (
    Milestone("first_login", N_("First login"), "event", 7, event="login", position=10),
    Milestone("three_active_users", N_("3 active users in a week"), "active_users", 30, threshold=3, window_days=7,
              position=20),
    Milestone("first_report", N_("First report run"), "event", 45, event="run_report", position=30),
)


def validate(m: Milestone) -> Milestone:
    """The milestone, normalised; ValueError naming the milestone and field otherwise."""
    where = f"milestone {m.milestone_id!r}"
    if not ID_PATTERN.match(m.milestone_id or ""):
        raise ValueError(f"milestone id {m.milestone_id!r}: lower-case letters, digits, _ and -, 1-64 characters")
    if not (m.name or "").strip():
        raise ValueError(f"{where}: name is empty")
    if m.kind not in KINDS:
        raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}, got {m.kind!r}")
    event = (m.event or "").strip() or None
    if m.kind in ("event", "event_count") and not event:
        raise ValueError(f"{where}: kind {m.kind} needs an event name")
    if not isinstance(m.threshold, int) or m.threshold < 1:
        raise ValueError(f"{where}: threshold must be a whole number ≥ 1, got {m.threshold!r}")
    if not isinstance(m.target_days, int) or not 0 <= m.target_days <= MAX_TARGET_DAYS:
        raise ValueError(f"{where}: target_days must be a whole number from 0 to {MAX_TARGET_DAYS}, got {m.target_days!r}")
    window = m.window_days
    if m.kind == "active_users":
        window = window or 1
        if not isinstance(window, int) or not 1 <= window <= 90:
            raise ValueError(f"{where}: window_days must be a whole number from 1 to 90, got {m.window_days!r}")
    else:
        window = None
    return replace(m, name=m.name.strip(), event=event, window_days=window)


def load_milestones(ws_or_session, include_inactive: bool = False) -> list[Milestone]:
    """The milestones in order (the defaults while the table is empty)."""
    from b2bgrowth.success.config_models import OnboardingMilestone

    if not isinstance(ws_or_session, Session):
        with ws_or_session.store.read() as session:
            return load_milestones(session, include_inactive)
    rows = ws_or_session.execute(select(OnboardingMilestone)).scalars().all()
    found = [Milestone(r.milestone_id, r.name, r.kind, r.target_days, r.event, r.threshold, r.window_days,
                       r.position, bool(r.active)) for r in rows] or list(DEFAULT_MILESTONES)
    found = [m for m in found if include_inactive or m.active]
    return sorted(found, key=lambda m: (m.position, m.milestone_id))


def save_milestones(ws: Workspace, milestones: list[Milestone], by: str | None = None) -> list[Milestone]:
    """Replace the milestone list (configuration); returns it as stored."""
    from b2bgrowth.success.config_models import OnboardingMilestone

    checked = [validate(m) for m in milestones]
    ids = [m.milestone_id for m in checked]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"milestone ids must be unique; repeated: {', '.join(duplicates)}")
    now = datetime.now().replace(microsecond=0)
    with ws.store.write(touched=["onboarding_milestones"]) as session:
        session.query(OnboardingMilestone).delete()
        session.add_all(OnboardingMilestone(milestone_id=m.milestone_id, name=m.name, kind=m.kind, event=m.event,
                                            threshold=m.threshold, window_days=m.window_days,
                                            target_days=m.target_days, position=m.position, active=m.active,
                                            updated_at=now, updated_by=by) for m in checked)
    return checked


def upsert_milestone(ws: Workspace, milestone: Milestone, by: str | None = None) -> list[Milestone]:
    """Add or replace one milestone; the others stay as they are (the defaults are written out first)."""
    current = load_milestones(ws, include_inactive=True)
    rest = [m for m in current if m.milestone_id != milestone.milestone_id]
    if milestone.position == 0 and not any(m.milestone_id == milestone.milestone_id for m in current):
        milestone = replace(milestone, position=max((m.position for m in current), default=0) + 10)
    return save_milestones(ws, rest + [milestone], by)


def remove_milestone(ws: Workspace, milestone_id: str, by: str | None = None) -> list[Milestone]:
    current = load_milestones(ws, include_inactive=True)
    if not any(m.milestone_id == milestone_id for m in current):
        raise ValueError(f"no milestone {milestone_id!r}; known: {', '.join(m.milestone_id for m in current)}")
    rest = [m for m in current if m.milestone_id != milestone_id]
    if not rest:
        raise ValueError("the last milestone cannot be removed (an empty list means the defaults); deactivate it instead")
    return save_milestones(ws, rest, by)


def reset_milestones(ws: Workspace) -> None:
    """Back to the documented defaults."""
    from b2bgrowth.success.config_models import OnboardingMilestone

    with ws.store.write(touched=["onboarding_milestones"]) as session:
        session.query(OnboardingMilestone).delete()
