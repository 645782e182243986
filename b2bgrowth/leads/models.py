"""Leads, touches, and what capture, de-duplication and hand-off keep — SPEC C2."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base

LEAD_STATUSES = ("new", "mql", "sql", "opportunity", "customer", "nurture", "disqualified")
TOUCH_KINDS = ("call", "email", "meeting", "event", "download", "webinar", "demo", "visit")


class Lead(Base):
    __tablename__ = "leads"

    lead_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    company: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(255))
    channel: Mapped[str | None] = mapped_column(String(64), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(64))
    industry: Mapped[str | None] = mapped_column(String(128))
    employees: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(128))
    # BANT is kept as written (yes/no/amount, months or a date …); issue 3 interprets it.
    budget: Mapped[str | None] = mapped_column(String(64))
    authority: Mapped[str | None] = mapped_column(String(64))
    need: Mapped[str | None] = mapped_column(Text)
    timeline: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="new")
    # Hand-off (leads/handoff.py, assignment.py): the sales owner, when it was assigned, and
    # why the lead was last disqualified or rejected (imports may carry it as "reason").
    owner: Mapped[str | None] = mapped_column(String(128), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime)
    disqualification_reason: Mapped[str | None] = mapped_column(Text)
    # The account (company) this lead belongs to when it is already one: an upsell or another
    # department of a customer (leads/account_links.py says how it is set). No foreign key, as
    # for owner: a lead may outlive an account row, and imports check the reference themselves.
    account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class Touch(Base):
    __tablename__ = "touches"

    touch_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    lead_id: Mapped[str | None] = mapped_column(String(64), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(255))
    owner: Mapped[str | None] = mapped_column(String(128))
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class LeadMerge(Base):
    """One explained pair of a merge (a ~ b by rule on value), and its undo.

    De-duplication itself is computed (leads/dedupe.py); this table keeps what must survive a
    recomputation: the merge history shown on the lead page (`record_merges`) and the pairs
    someone split (`undone`), which every later dedupe run keeps apart.
    """

    __tablename__ = "lead_merges"

    merge_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lead_id: Mapped[str | None] = mapped_column(String(64), index=True)  # merged lead when recorded
    a: Mapped[str] = mapped_column(String(64), index=True)
    b: Mapped[str] = mapped_column(String(64), index=True)
    rule: Mapped[str] = mapped_column(String(16))  # email | phone | company_name | split
    value: Mapped[str | None] = mapped_column(String(512))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    undone_by: Mapped[str | None] = mapped_column(String(128))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class LeadTransition(Base):
    """Every lifecycle move of a lead, timestamped, with who and why."""

    __tablename__ = "lead_transitions"

    transition_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lead_id: Mapped[str] = mapped_column(String(64), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    by: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)


class AssignmentRule(Base):
    """Who gets an unassigned MQL: the first active rule (by priority) whose field matches.

    field is region / industry / tier (the account tier, matched on the lead's company) or
    "any"; owners is a comma-separated list served round robin (position = next index).
    """

    __tablename__ = "assignment_rules"

    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    field: Mapped[str] = mapped_column(String(16), default="any")
    value: Mapped[str | None] = mapped_column(String(255))
    owners: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class WebForm(Base):
    """A public lead form: where its leads come from and the consent text they agree to."""

    __tablename__ = "web_forms"

    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str | None] = mapped_column(String(64))
    campaign_id: Mapped[str | None] = mapped_column(String(64))
    consent_text: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)


class FormSubmission(Base):
    """Every POST to a public form (stored, spam or refused): the rate limit counts these."""

    __tablename__ = "form_submissions"

    submission_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ip: Mapped[str | None] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # stored | spam
    lead_id: Mapped[str | None] = mapped_column(String(64))
