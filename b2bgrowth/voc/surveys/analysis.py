"""NPS survey figures: response rates, NPS by tier / role / stage and period, verbatim search.

Arithmetic (docs/metrics.md §Customer success — NPS surveys): response_rate = responded ÷
recipients (null with no recipients); NPS via b2bgrowth.voc.nps.classify / nps_value. Tier,
stage and owner are the account's current values; role is the contact's current role.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from b2bgrowth.accounts.api import sort_segments
from b2bgrowth.accounts.models import Account, Contact
from b2bgrowth.reporting.periods import make_periods
from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.voc.nps import classify, nps_value
from b2bgrowth.voc.survey_models import Survey, SurveyRecipient
from b2bgrowth.voc.surveys.service import get_survey, survey_dict

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

BREAKDOWNS = {"tier": Account.tier, "role": Contact.role, "stage": Account.lifecycle_stage}
# Score bands of the NPS classes (SPEC C9).
BANDS = {"promoters": (9, 10), "passives": (7, 8), "detractors": (0, 6)}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _nps_cells(scores: list[int]) -> dict:
    counts = {"promoters": 0, "passives": 0, "detractors": 0}
    for score in scores:
        counts[classify(score)] += 1
    return {"responses": len(scores), **counts,
            "nps": nps_value(counts["promoters"], counts["detractors"], len(scores))}


def _group(rows: list[dict], key: str) -> list[dict]:
    groups: dict = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    out = []
    for label in sort_segments(groups):
        members = groups[label]
        scores = [m["score"] for m in members if m["score"] is not None]
        out.append({"segment": label, "recipients": len(members), "responded": len(scores),
                    "response_rate": _rate(len(scores), len(members)), **_nps_cells(scores)})
    return out


def survey_summary(ws: Workspace, survey_id: str) -> dict:
    """One survey: recipients, responded, response_rate and NPS, overall and by tier and role."""
    query = (select(SurveyRecipient.recipient_id, Account.tier, Contact.role, NpsResponse.score)
             .outerjoin(Contact, Contact.contact_id == SurveyRecipient.contact_id)
             .outerjoin(Account, Account.account_id == SurveyRecipient.account_id)
             .outerjoin(NpsResponse, NpsResponse.response_id == SurveyRecipient.response_id)
             .where(SurveyRecipient.survey_id == survey_id))
    with ws.store.read() as session:
        survey = survey_dict(get_survey(session, survey_id))
        rows: list[dict[str, Any]] = [{"tier": t or None, "role": r or None, "score": s}
                                      for _, t, r, s in session.execute(query)]
    scores = [r["score"] for r in rows if r["score"] is not None]
    return {**survey, "recipients": len(rows), "responded": len(scores),
            "response_rate": _rate(len(scores), len(rows)), **_nps_cells(scores),
            "by_tier": _group(rows, "tier"), "by_role": _group(rows, "role")}


def all_summaries(ws: Workspace) -> list[dict]:
    with ws.store.read() as session:
        ids = list(session.scalars(select(Survey.survey_id).order_by(Survey.created_at.desc(), Survey.survey_id)))
    out = []
    for survey_id in ids:
        summary = survey_summary(ws, survey_id)
        out.append({k: v for k, v in summary.items() if k not in ("by_tier", "by_role")})
    return out


def _in_days(start: date, end: date):
    return (NpsResponse.at >= datetime.combine(start, time.min),
            NpsResponse.at < datetime.combine(end + timedelta(days=1), time.min))


def survey_response_ids(survey_id: str):
    return select(SurveyRecipient.response_id).where(SurveyRecipient.survey_id == survey_id,
                                                     SurveyRecipient.response_id.is_not(None))


def nps_breakdown(ws: Workspace, kind: str, start: date, end: date, by: str,
                  survey_id: str | None = None) -> list[dict]:
    """NPS per (period, segment) over responses dated in [start, end]; any source unless survey_id."""
    if by not in BREAKDOWNS:
        raise ValueError(f"by: {by!r} is not one of {', '.join(BREAKDOWNS)}")
    periods = make_periods(kind, start, end)
    query = (select(NpsResponse.at, NpsResponse.score, BREAKDOWNS[by])
             .outerjoin(Account, Account.account_id == NpsResponse.account_id)
             .outerjoin(Contact, Contact.contact_id == NpsResponse.contact_id)
             .where(*_in_days(start, end)))
    with ws.store.read() as session:
        if survey_id is not None:
            get_survey(session, survey_id)
            query = query.where(NpsResponse.response_id.in_(survey_response_ids(survey_id)))
        rows = session.execute(query).all()
    starts = [p.start for p in periods]
    cells: dict = defaultdict(list)
    for at, score, label in rows:
        index = bisect_right(starts, at.date()) - 1
        cells[(index, label or None)].append(score)
    labels = sort_segments({label for _, label in cells})
    out = []
    for i, period in enumerate(periods):
        for label in labels:
            out.append({**period.as_dict(), "segment": label, **_nps_cells(cells.get((i, label), []))})
    return out


def search_verbatims(ws: Workspace, q: str = "", band: str | None = None, survey_id: str | None = None,
                     start: date | None = None, end: date | None = None, limit: int = 50, offset: int = 0) -> dict:
    """Comments containing q (case-insensitive LIKE; works for Chinese on SQLite and PostgreSQL)."""
    where = [NpsResponse.comment.is_not(None), NpsResponse.comment != ""]
    if q.strip():
        where.append(NpsResponse.comment.icontains(q.strip(), autoescape=True))
    if band:
        if band not in BANDS:
            raise ValueError(f"band: {band!r} is not one of {', '.join(BANDS)}")
        where.append(NpsResponse.score.between(*BANDS[band]))
    if start is not None:
        where.append(NpsResponse.at >= datetime.combine(start, time.min))
    if end is not None:
        where.append(NpsResponse.at < datetime.combine(end + timedelta(days=1), time.min))
    if survey_id:
        where.append(NpsResponse.response_id.in_(survey_response_ids(survey_id)))
    query = (select(NpsResponse, Account.name, Account.tier, Contact.name, Contact.role)
             .outerjoin(Account, Account.account_id == NpsResponse.account_id)
             .outerjoin(Contact, Contact.contact_id == NpsResponse.contact_id).where(*where))
    with ws.store.read() as session:
        if survey_id:
            get_survey(session, survey_id)
        total = session.scalar(select(func.count()).select_from(NpsResponse).where(*where)) or 0
        rows = session.execute(query.order_by(NpsResponse.at.desc(), NpsResponse.response_id)
                               .limit(limit).offset(offset)).all()
    verbatims = [{"response_id": r.response_id, "at": r.at.isoformat(), "score": r.score, "band": classify(r.score),
                  "comment": r.comment, "account_id": r.account_id, "account_name": account_name, "tier": tier,
                  "contact_id": r.contact_id, "contact_name": contact_name, "role": role,
                  "survey_id": (r.attributes or {}).get("survey_id") if isinstance(r.attributes, dict) else None}
                 for r, account_name, tier, contact_name, role in rows]
    return {"total": total, "verbatims": verbatims}
