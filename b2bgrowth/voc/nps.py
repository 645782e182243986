"""NPS per period (and segment): promoters 9–10, passives 7–8, detractors 0–6;
nps = 100 × (promoters − detractors) ÷ responses, null for a period without responses."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from b2bgrowth.reporting.registry import Report
from b2bgrowth.revenue.reports import PeriodParams
from b2bgrowth.voc.models import NpsResponse

PROMOTER_MIN, PASSIVE_MIN = 9, 7


def classify(score: int) -> str:
    if score >= PROMOTER_MIN:
        return "promoters"
    return "passives" if score >= PASSIVE_MIN else "detractors"


def nps_value(promoters: int, detractors: int, responses: int) -> float | None:
    if responses == 0:
        return None
    return round(100 * (promoters - detractors) / responses, 2)


def nps_periods(ws, kind: str, start: date, end: date, segment: str | None) -> list[dict]:
    import numpy as np

    from b2bgrowth.reporting.periods import make_periods
    from b2bgrowth.reporting.segments import ALL, segment_of_accounts, sort_segments

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

    def execute(self, ws, params: PeriodParams) -> dict:
        return {"periods": nps_periods(ws, params.period, params.from_, params.to, params.segment)}


