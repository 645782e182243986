"""The lead-scoring reports in the registry: "leads" (scores per merged lead) and "lead-model".

`b2bgrowth report leads [--status S] --json` →
  {"leads": [{"lead_id", "status", "fit_score", "engagement_score", "grade", "predicted_conversion", "reasons",
              "account_id"}]}
one row per merged lead, ordered by lead_id. `reasons` lists the fit rules that counted, the
touch kinds that carry the engagement score, and the model's three largest pulls (or why there
is no prediction): [{"kind": "fit"|"engagement"|"prediction", "text", "points"}]. `account_id` is
the merged lead's account (leads/account_links.py), null without one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from b2bgrowth.leads.models import LEAD_STATUSES
from b2bgrowth.leads.results import LeadModelResult, LeadsResult
from b2bgrowth.reporting.registry import Report, ReportParams

LeadStatus = Literal[LEAD_STATUSES]  # type: ignore[valid-type]


class LeadsParams(ReportParams):
    status: LeadStatus | None = Field(default=None, description="Only merged leads with this status.")


def lead_rows(ws, status: str | None = None, as_of=None) -> list[dict]:
    import numpy as np

    from b2bgrowth.leads.prediction import predictions
    from b2bgrowth.leads.scoring import (
        _event_points,
        engagement_reasons,
        fit_reasons,
        lead_touches,
        merged_lead_frame,
        score_frame,
        utc_now,
    )
    from b2bgrowth.leads.scoring_config import load_config

    config = load_config(ws)
    as_of = as_of or utc_now()
    frame, mapping = merged_lead_frame(ws)
    touches = lead_touches(ws, mapping)
    scores = score_frame(frame, touches, config, as_of, _event_points(ws, touches, config, as_of))
    if status is not None:
        keep = (scores["status"] == status).to_numpy()
        frame, scores = frame[keep].reset_index(drop=True), scores[keep].reset_index(drop=True)
    probability, model_reasons = predictions(ws, frame, touches, as_of)
    by_kind = scores.attrs["engagement_by_kind"]
    accounts = _accounts(ws)
    rows = []
    for i, row in enumerate(scores.itertuples(index=False)):
        p = probability[i]
        rows.append({
            "lead_id": row.lead_id, "status": row.status, "fit_score": float(row.fit_score),
            "engagement_score": float(row.engagement_score), "grade": str(row.grade),
            "predicted_conversion": None if np.isnan(p) else round(float(p), 4),
            "reasons": fit_reasons(row.fit_bits, config) + engagement_reasons(by_kind, row.lead_id) + model_reasons[i],
            "account_id": accounts.get(row.lead_id),
        })
    return rows


def _accounts(ws) -> dict[str, str]:
    """merged lead_id → account_id (the linked ones only)."""
    from b2bgrowth.leads.dedupe import merged_leads

    merged = merged_leads(ws)
    if "account_id" not in merged or merged.empty:
        return {}
    linked = merged[merged["account_id"].notna()]
    return dict(zip(linked["lead_id"].astype(str), linked["account_id"].astype(str)))


class LeadsReport(Report):
    name = "leads"
    title = "Leads: fit and engagement scores, grade, predicted conversion and reasons"
    Params = LeadsParams
    Result = LeadsResult

    def execute(self, ws, params: LeadsParams) -> dict:
        return {"leads": lead_rows(ws, params.status)}


class LeadModelReport(Report):
    name = "lead-model"
    title = "Lead conversion model: hold-out AUC, lift by decile, calibration"
    Result = LeadModelResult

    def execute(self, ws, params: ReportParams) -> dict:
        from b2bgrowth.leads.prediction import current_model, model_report

        return model_report(current_model(ws))
