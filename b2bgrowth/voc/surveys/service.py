"""Surveys, recipients, answers and reminders — the write side of NPS surveys.

Rules (docs/customer-success.md §NPS surveys):
- A survey is draft → open → closed (a closed survey may be reopened). It accepts answers while
  its status is open and today lies within [opens_on, closes_on] (either bound optional).
- Recipients are contacts chosen by their account's tier, lifecycle stage, type and owner and the
  contact's role. Adding recipients again adds only contacts not yet on the survey.
- Each recipient gets a token from secrets.token_urlsafe (192 bits): the link /s/<token> is the
  only credential the public page needs. Contacts with no e-mail, phone or WeChat are still
  listed (flagged unreachable): CSMs share links by hand; the product sends nothing.
- One answer per token: submitting again while the survey accepts answers overwrites the score
  and comment of the same nps_responses row and re-dates it (`at` = latest submission);
  `responded_at` keeps the first submission.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from b2bgrowth import i18n
from b2bgrowth.accounts.models import ACCOUNT_TYPES, CONTACT_ROLES, LIFECYCLE_STAGES, TIERS, Account, Contact
from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.voc.survey_models import SURVEY_STATUSES, Survey, SurveyRecipient

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

TOUCHED = ["nps_surveys", "nps_survey_recipients"]
DEFAULT_QUESTION_ZH = "您有多大可能向朋友或同事推荐我们的产品？"
DEFAULT_QUESTION_EN = "How likely are you to recommend our product to a friend or colleague?"
DEFAULT_FOLLOW_UP_ZH = "您给出这个分数的主要原因是什么？"
DEFAULT_FOLLOW_UP_EN = "What is the main reason for your score?"
MAX_COMMENT = 5000
SURVEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Recipient filters: key → (column, allowed values or None for free text).
FILTERS = {
    "tier": (Account.tier, TIERS),
    "stage": (Account.lifecycle_stage, LIFECYCLE_STAGES),
    "type": (Account.type, ACCOUNT_TYPES),
    "owner": (Account.owner, None),
    "role": (Contact.role, CONTACT_ROLES),
}
# Who may move a survey from one status to another (reopening a closed survey is allowed).
TRANSITIONS = {"draft": {"open", "closed"}, "open": {"closed"}, "closed": {"open"}}


class SurveyError(ValueError):
    """Bad input or a forbidden change; the message names what and where."""


class SurveyNotFound(LookupError):
    pass


def _utcnow() -> datetime:
    return datetime.now().replace(microsecond=0)


def _text(value, field: str, limit: int, required: bool = False) -> str | None:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not value:
        if required:
            raise SurveyError(f"{field}: required")
        return None
    if len(value) > limit:
        raise SurveyError(f"{field}: at most {limit} characters (got {len(value)})")
    return value


def _day(value, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise SurveyError(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


def survey_dict(survey: Survey) -> dict:
    return {"survey_id": survey.survey_id, "name": survey.name, "status": survey.status,
            "question_zh": survey.question_zh, "question_en": survey.question_en,
            "follow_up_zh": survey.follow_up_zh, "follow_up_en": survey.follow_up_en,
            "opens_on": survey.opens_on.isoformat() if survey.opens_on else None,
            "closes_on": survey.closes_on.isoformat() if survey.closes_on else None,
            "created_at": survey.created_at.isoformat(), "created_by": survey.created_by,
            "filters": survey.filters or {}}


def create_survey(ws: Workspace, name, question_zh=None, question_en=None, follow_up_zh=None, follow_up_en=None,
                  opens_on=None, closes_on=None, created_by=None, survey_id=None, now=None) -> dict:
    """A new draft survey; default questions (the standard NPS wording) where none is given."""
    name = _text(name, "name", 255, required=True)
    opens, closes = _day(opens_on, "opens_on"), _day(closes_on, "closes_on")
    if opens and closes and opens > closes:
        raise SurveyError(f"closes_on ({closes}) is before opens_on ({opens})")
    if survey_id is not None and not SURVEY_ID.match(str(survey_id)):
        raise SurveyError(f"survey_id: {survey_id!r} must be 1–64 letters, digits, '.', '_' or '-'")
    survey = Survey(
        survey_id=survey_id or f"sv-{secrets.token_hex(4)}", name=name, status="draft",
        question_zh=_text(question_zh, "question_zh", 1000) or DEFAULT_QUESTION_ZH,
        question_en=_text(question_en, "question_en", 1000) or DEFAULT_QUESTION_EN,
        follow_up_zh=_text(follow_up_zh, "follow_up_zh", 1000) or DEFAULT_FOLLOW_UP_ZH,
        follow_up_en=_text(follow_up_en, "follow_up_en", 1000) or DEFAULT_FOLLOW_UP_EN,
        opens_on=opens, closes_on=closes, created_at=now or _utcnow(), created_by=created_by, filters={},
    )
    with ws.store.write(touched=TOUCHED) as session:
        if session.get(Survey, survey.survey_id) is not None:
            raise SurveyError(f"survey_id: {survey.survey_id!r} exists already")
        session.add(survey)
        session.flush()
        return survey_dict(survey)


def get_survey(session, survey_id: str) -> Survey:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise SurveyNotFound(f"no survey {survey_id!r}")
    return survey


def list_surveys(ws: Workspace) -> list[dict]:
    with ws.store.read() as session:
        return [survey_dict(s) for s in session.scalars(select(Survey).order_by(Survey.created_at.desc(),
                                                                                 Survey.survey_id))]


def set_status(ws: Workspace, survey_id: str, status: str) -> dict:
    if status not in SURVEY_STATUSES:
        raise SurveyError(f"status: {status!r} is not one of {', '.join(SURVEY_STATUSES)}")
    with ws.store.write(touched=TOUCHED) as session:
        survey = get_survey(session, survey_id)
        if status != survey.status and status not in TRANSITIONS[survey.status]:
            raise SurveyError(f"status: a {survey.status} survey cannot become {status}")
        survey.status = status
        return survey_dict(survey)


def closed_reason(survey: Survey, today: date) -> str | None:
    """None when the survey accepts answers today; else draft | not_yet | closed."""
    if survey.status == "draft":
        return "draft"
    if survey.status == "closed" or (survey.closes_on and today > survey.closes_on):
        return "closed"
    if survey.opens_on and today < survey.opens_on:
        return "not_yet"
    return None


# -- recipients ---------------------------------------------------------------------------------

def normalise_filters(raw: dict | None) -> dict[str, list[str]]:
    """{"tier": "KA,CA"} or {"tier": ["KA"]} → {"tier": ["KA", "CA"]}; unknown keys/values named."""
    out: dict[str, list[str]] = {}
    for key, value in (raw or {}).items():
        if key not in FILTERS:
            raise SurveyError(f"filter {key!r}: unknown; use {', '.join(FILTERS)}")
        items = value.split(",") if isinstance(value, str) else list(value or [])
        values = list(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))
        allowed = FILTERS[key][1]
        bad = [v for v in values if allowed is not None and v not in allowed]
        if bad:
            raise SurveyError(f"filter {key}: {', '.join(map(repr, bad))} not one of {', '.join(allowed)}")
        if values:
            out[key] = values
    return out


def _selection(filters: dict[str, list[str]]):
    query = select(Contact, Account).outerjoin(Account, Account.account_id == Contact.account_id)
    for key, values in filters.items():
        query = query.where(FILTERS[key][0].in_(values))
    return query.order_by(Contact.contact_id)


def channels_of(contact: Contact) -> list[str]:
    return [name for name in ("email", "phone", "wechat") if (getattr(contact, name) or "").strip()]


def preview(ws: Workspace, filters: dict | None) -> dict:
    """How many contacts a filter selects (and how many have a channel) — before adding them."""
    chosen = normalise_filters(filters)
    with ws.store.read() as session:
        rows = session.execute(_selection(chosen)).all()
    return {"contacts": len(rows), "reachable": sum(1 for c, _ in rows if channels_of(c)),
            "accounts": len({c.account_id for c, _ in rows if c.account_id}), "filters": chosen}


def preferred_language(contact: Contact) -> str | None:
    attributes = contact.attributes if isinstance(contact.attributes, dict) else {}
    return i18n.normalise(attributes.get("language") or attributes.get("lang"))


def add_recipients(ws: Workspace, survey_id: str, filters: dict | None, now: datetime | None = None) -> dict:
    """Add the contacts the filter selects (not yet on the survey), each with a fresh token."""
    chosen = normalise_filters(filters)
    now = now or _utcnow()
    with ws.store.write(touched=TOUCHED) as session:
        survey = get_survey(session, survey_id)
        if survey.status == "closed":
            raise SurveyError(f"survey {survey_id!r} is closed; reopen it to add recipients")
        present = set(session.scalars(select(SurveyRecipient.contact_id)
                                      .where(SurveyRecipient.survey_id == survey_id)))
        added = unreachable = 0
        for contact, _ in session.execute(_selection(chosen)).all():
            if contact.contact_id in present:
                continue
            session.add(SurveyRecipient(
                survey_id=survey_id, token=secrets.token_urlsafe(24), contact_id=contact.contact_id,
                account_id=contact.account_id, language=preferred_language(contact), added_at=now,
                reminders=0))
            added += 1
            unreachable += not channels_of(contact)
        survey.filters = chosen
    return {"added": added, "already": len(present), "unreachable": unreachable}


def link_for(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/s/{token}"


def recipients(ws: Workspace, survey_id: str, base_url: str = "") -> list[dict]:
    """Every recipient with contact, account, channels, status, answer and reminders."""
    query = (select(SurveyRecipient, Contact, Account, NpsResponse.score, NpsResponse.at)
             .outerjoin(Contact, Contact.contact_id == SurveyRecipient.contact_id)
             .outerjoin(Account, Account.account_id == SurveyRecipient.account_id)
             .outerjoin(NpsResponse, NpsResponse.response_id == SurveyRecipient.response_id)
             .where(SurveyRecipient.survey_id == survey_id)
             .order_by(SurveyRecipient.recipient_id))
    with ws.store.read() as session:
        get_survey(session, survey_id)
        rows = session.execute(query).all()
    out = []
    for r, contact, account, score, answered_at in rows:
        channels = channels_of(contact) if contact is not None else []
        out.append({
            "recipient_id": r.recipient_id, "token": r.token, "link": link_for(base_url, r.token),
            "contact_id": r.contact_id, "contact_name": contact.name if contact else None,
            "role": contact.role if contact else None, "email": contact.email if contact else None,
            "phone": contact.phone if contact else None, "wechat": contact.wechat if contact else None,
            "channels": channels, "reachable": bool(channels), "language": r.language,
            "account_id": r.account_id, "account_name": account.name if account else None,
            "tier": account.tier if account else None, "stage": account.lifecycle_stage if account else None,
            "status": "responded" if r.response_id else "pending", "score": score,
            "responded_at": r.responded_at, "answered_at": answered_at, "added_at": r.added_at,
            "reminders": r.reminders, "last_reminded_at": r.last_reminded_at,
        })
    return out


# -- answers ------------------------------------------------------------------------------------

def recipient_by_token(session, token: str) -> tuple[SurveyRecipient, Survey]:
    row = session.execute(select(SurveyRecipient, Survey).join(Survey, Survey.survey_id == SurveyRecipient.survey_id)
                          .where(SurveyRecipient.token == token)).first() if token else None
    if row is None:
        raise SurveyNotFound("unknown survey link")
    return row[0], row[1]


def parse_score(value) -> int:
    try:
        score = int(str(value).strip())
    except (TypeError, ValueError):
        raise SurveyError(f"score: {value!r} is not a whole number from 0 to 10") from None
    if not 0 <= score <= 10:
        raise SurveyError(f"score: {score} is outside 0–10")
    return score


def respond(ws: Workspace, token: str, score, comment: str | None = None, now: datetime | None = None,
            language: str | None = None) -> dict:
    """Record (or overwrite) this recipient's answer; SurveyError when the survey is not accepting."""
    score = parse_score(score)
    comment = _text(comment, "comment", MAX_COMMENT)
    now = now or _utcnow()
    with ws.store.write(touched=["nps_responses", "nps_survey_recipients"]) as session:
        recipient, survey = recipient_by_token(session, token)
        reason = closed_reason(survey, now.date())
        if reason:
            raise SurveyError(f"survey {survey.survey_id!r} is not accepting answers ({reason})")
        response_id = f"survey-{recipient.recipient_id}"
        response = session.get(NpsResponse, response_id)
        created = response is None
        if response is None:
            response = NpsResponse(response_id=response_id)
            session.add(response)
        previous = response.attributes if isinstance(response.attributes, dict) else {}
        response.at, response.score, response.comment = now, score, comment
        response.account_id, response.contact_id = recipient.account_id, recipient.contact_id
        response.attributes = {"source": "survey", "survey_id": survey.survey_id,
                               "recipient": recipient.recipient_id, "language": language,
                               "first_at": previous.get("first_at") or now.isoformat(),
                               "submissions": int(previous.get("submissions") or 0) + 1}
        recipient.response_id = response_id
        recipient.responded_at = recipient.responded_at or now
        return {"response_id": response_id, "created": created, "score": score}


# -- reminders ----------------------------------------------------------------------------------

def _sent_at(recipient: dict, survey: Survey) -> datetime:
    """When the link was (at the earliest) shared: added, but not before the survey opens."""
    opens = datetime.combine(survey.opens_on, time.min) if survey.opens_on else recipient["added_at"]
    return max(recipient["added_at"], opens)


def due_reminders(ws: Workspace, survey_id: str, after_days: int = 3, now: datetime | None = None,
                  base_url: str = "") -> list[dict]:
    """Non-responders whose link (or last reminder) is at least `after_days` old."""
    if after_days < 0:
        raise SurveyError(f"after_days: {after_days} is negative")
    now = now or _utcnow()
    with ws.store.read() as session:
        survey = get_survey(session, survey_id)
        session.expunge(survey)
    reason = closed_reason(survey, now.date())
    if reason:
        raise SurveyError(f"survey {survey_id!r} is not open ({reason}); reminders are for open surveys")
    cutoff = now - timedelta(days=after_days)
    return [r for r in recipients(ws, survey_id, base_url)
            if r["status"] == "pending" and (r["last_reminded_at"] or _sent_at(r, survey)) <= cutoff]


def record_reminders(ws: Workspace, survey_id: str, recipient_ids: list[int], now: datetime | None = None) -> int:
    now = now or _utcnow()
    if not recipient_ids:
        return 0
    with ws.store.write(touched=["nps_survey_recipients"]) as session:
        rows = session.scalars(select(SurveyRecipient).where(SurveyRecipient.survey_id == survey_id,
                                                             SurveyRecipient.recipient_id.in_(recipient_ids)))
        count = 0
        for row in rows:
            row.reminders = (row.reminders or 0) + 1
            row.last_reminded_at = now
            count += 1
    return count


def remind(ws: Workspace, survey_id: str, after_days: int = 3, now: datetime | None = None, base_url: str = "",
           record: bool = True) -> list[dict]:
    """The reminders due, recorded (count + last reminded at) unless record=False."""
    now = now or _utcnow()
    due = due_reminders(ws, survey_id, after_days, now, base_url)
    if record:
        record_reminders(ws, survey_id, [r["recipient_id"] for r in due], now)
        for r in due:
            r["reminders"] += 1
            r["last_reminded_at"] = now
    return due


def count_recipients(ws: Workspace, survey_id: str) -> int:
    with ws.store.read() as session:
        return session.scalar(select(func.count()).select_from(SurveyRecipient)
                              .where(SurveyRecipient.survey_id == survey_id)) or 0
