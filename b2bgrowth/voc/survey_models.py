"""NPS surveys and their recipients — SPEC C9, issue 4 item 9.

A survey asks one 0–10 question (plus a free-text follow-up) of chosen contacts. Each recipient
holds an unguessable token: the personal link /s/<token> is the only credential the public
response page needs. Answers land in `nps_responses` (attributes survey_id / recipient), so the
NPS report, the NPS page and the playbooks' detractor rule see survey answers like any other.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base

SURVEY_STATUSES = ("draft", "open", "closed")


class Survey(Base):
    __tablename__ = "nps_surveys"

    survey_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    question_zh: Mapped[str] = mapped_column(Text)
    question_en: Mapped[str] = mapped_column(Text)
    follow_up_zh: Mapped[str | None] = mapped_column(Text)
    follow_up_en: Mapped[str | None] = mapped_column(Text)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(String(128))
    # The recipient filter last applied (tier/role/stage/type/owner lists), shown on the detail page.
    filters: Mapped[dict | None] = mapped_column(Attributes)


class SurveyRecipient(Base):
    __tablename__ = "nps_survey_recipients"
    __table_args__ = (UniqueConstraint("survey_id", "contact_id"),)

    recipient_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("nps_surveys.survey_id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    added_at: Mapped[datetime] = mapped_column(DateTime)
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)
    response_id: Mapped[str | None] = mapped_column(String(64))
