"""Nurture → MQL when engagement crosses the threshold again (issue 3, item 4), run by `recompute`.

Lifecycle owns the transition (lifecycle.requalify_nurture); scoring owns the engagement scores
and the threshold (scoring_config.mql.engagement). This module only joins the two on the
recompute schedule, so a nurtured lead that comes back to a webinar reappears in the MQL queue
without anyone re-reading the nurture list.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from b2bgrowth.contract import RecomputeStep

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


def requalify(ws: Workspace, as_of: date | None = None) -> list[str]:
    from b2bgrowth.leads.handoff import requalify_nurture
    from b2bgrowth.leads.scoring import engagement_scores
    from b2bgrowth.leads.scoring_config import load_config

    if as_of is not None and as_of < date.today():
        # A recompute "as of" a past day must not move today's leads.
        return []
    scores = engagement_scores(ws)
    threshold = load_config(ws).mql.engagement
    return requalify_nurture(ws, {k: float(v) for k, v in scores.items()}, threshold, by="recompute")


RECOMPUTE_STEP = RecomputeStep("nurture_requalification", requalify, order=10)
