"""NPS — the one definition (docs/metrics.md §NPS) and the NPS report per period (and segment).

Promoters score 9–10, passives 7–8, detractors 0–6;
nps = 100 × (promoters − detractors) ÷ responses, null without responses.
Every figure called NPS in the product (the report, survey breakdowns, an account's NPS on the
account page, the health signal nps_365, timeline and table bands) comes from the functions
here: classify / band / is_detractor for one response, nps_value for counts, nps_of_scores for
a list of scores.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
from sqlalchemy import select

from b2bgrowth.reporting.registry import Report
from b2bgrowth.revenue.api import PeriodParams
from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.voc.results import NpsResult

PROMOTER_MIN, PASSIVE_MIN = 9, 7
DETRACTOR_MAX = PASSIVE_MIN - 1
NPS_DIGITS = 2


def classify(score: int) -> str:
    """"promoters" | "passives" | "detractors" (the report's count names)."""
    if score >= PROMOTER_MIN:
        return "promoters"
    return "passives" if score >= PASSIVE_MIN else "detractors"


def band(score: int) -> str:
    """"promoter" | "passive" | "detractor": the class of one response."""
    return classify(score)[:-1]


def is_detractor(scores):
    """True where a score (or an array of scores) is a detractor's (0–6)."""
    return np.asarray(scores) <= DETRACTOR_MAX if np.ndim(scores) else scores <= DETRACTOR_MAX


def nps_value(promoters, detractors, responses, ndigits: int | None = NPS_DIGITS):
    """100 × (promoters − detractors) ÷ responses, rounded to `ndigits` (None: not rounded).

    Scalars give a float, or None without responses. Arrays (one element per group) give a
    float array with NaN where a group has no responses.
    """
    if np.ndim(responses) == 0:
        if responses == 0:
            return None
        value = 100 * (promoters - detractors) / responses
        return value if ndigits is None else round(value, ndigits)
    n = np.asarray(responses, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 100 * (np.asarray(promoters, dtype="float64") - np.asarray(detractors, dtype="float64")) / n
    value = np.where(n > 0, value, np.nan)
    return value if ndigits is None else np.round(value, ndigits)


def nps_of_scores(scores, ndigits: int | None = NPS_DIGITS) -> float | None:
    """The NPS of a list of 0–10 scores (None when empty)."""
    scores = np.asarray(list(scores) if not isinstance(scores, np.ndarray) else scores)
    promoters = int((scores >= PROMOTER_MIN).sum())
    detractors = int(is_detractor(scores).sum()) if scores.size else 0
    return nps_value(promoters, detractors, int(scores.size), ndigits)


def nps_periods(ws, kind: str, start: date, end: date, segment: str | None) -> list[dict]:
    from b2bgrowth.accounts.api import ALL, segment_of_accounts, sort_segments
    from b2bgrowth.reporting.periods import make_periods

    periods = make_periods(kind, start, end)
    segment_of = segment_of_accounts(ws, segment)
    with ws.store.read() as session:
        responses = session.execute(
            select(NpsResponse.at, NpsResponse.account_id, NpsResponse.score)
            .where(NpsResponse.at >= datetime.combine(start, time()),
                   NpsResponse.at < datetime.combine(end + timedelta(days=1), time()))
        ).all()
    starts = np.array([p.start for p in periods], dtype="datetime64[D]")
    labels = [ALL] if segment_of is None else sort_segments(segment_of.get(a) for _, a, _ in responses)
    counts = {(i, label): {"promoters": 0, "passives": 0, "detractors": 0}
              for i in range(len(periods)) for label in labels}
    for at, account_id, score in responses:
        index = int(np.searchsorted(starts, np.datetime64(at.date()), side="right")) - 1
        label = ALL if segment_of is None else segment_of.get(account_id)
        counts[(index, label)][classify(score)] += 1
    out = []
    for i, period in enumerate(periods):
        for label in labels:
            c = counts[(i, label)]
            total = sum(c.values())
            out.append({**period.as_dict(), "segment": label, "responses": total, **c,
                        "nps": nps_value(c["promoters"], c["detractors"], total)})
    return out


class NpsReport(Report):
    name = "nps"
    title = "Net Promoter Score per period"
    Params = PeriodParams
    Result = NpsResult

    def execute(self, ws, params: PeriodParams) -> dict:
        return {"periods": nps_periods(ws, params.period, params.from_, params.to, params.segment)}




def account_nps(ws, account_id: str) -> dict:
    """One account's NPS over all its responses (nps_of_scores; None without responses) and its
    responses, newest first, each with its band and the name of the account's contact who
    answered (else the contact id)."""
    from b2bgrowth.accounts.models import Contact

    with ws.store.read() as session:
        rows = session.execute(
            select(NpsResponse.response_id, NpsResponse.at, NpsResponse.score, NpsResponse.comment,
                   NpsResponse.contact_id, Contact.name)
            .outerjoin(Contact, (Contact.contact_id == NpsResponse.contact_id) & (Contact.account_id == account_id))
            .where(NpsResponse.account_id == account_id)
            .order_by(NpsResponse.at.desc())).all()
    responses = [{"response_id": r, "at": at, "score": score, "band": band(score), "comment": comment,
                  "contact": name or contact_id} for r, at, score, comment, contact_id, name in rows]
    return {"nps": nps_of_scores([r["score"] for r in responses]), "responses": responses}
