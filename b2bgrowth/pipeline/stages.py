"""Configurable opportunity stages with default probabilities, and the stage history.

The stage list lives in `pipeline_stages`. Until a team edits it, the defaults below apply
(they are written on the first write that needs them). An import never rejects a stage
name it has not seen: `after_opportunities_import` adds it to the list (see `_new_stage`),
and records a stage change for every opportunity whose stage moved since the last change.
Closure is decided by an opportunity's status (open / won / lost); a closed stage with
probability 1 is the "won" stage a board move sets, probability < 1 the "lost" one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from b2bgrowth.pipeline.models import Opportunity, OpportunityStageChange, PipelineStage

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


@dataclass(frozen=True)
class Stage:
    name: str
    order: int
    probability: float
    is_closed: bool


# (name, order, default probability, is_closed). Open stages step by 10 so a team can slot
# one in between; closed stages sort after every open one.
DEFAULT_STAGES = (
    Stage("需求确认", 10, 0.10, False),
    Stage("方案演示", 20, 0.30, False),
    Stage("商务谈判", 30, 0.60, False),
    Stage("合同审批", 40, 0.80, False),
    Stage("赢单", 900, 1.00, True),
    Stage("输单", 910, 0.00, True),
)
STAGE_ENTITIES = ["pipeline_stages", "opportunity_stage_changes"]


class UnknownStage(ValueError):
    pass


def load_stages(ws_or_session) -> list[Stage]:
    """The stage list in order (the defaults while the table is empty)."""
    if isinstance(ws_or_session, Session):
        rows = ws_or_session.execute(select(PipelineStage)).scalars().all()
        stages = [Stage(r.name, r.order, float(r.probability), bool(r.is_closed)) for r in rows]
    else:
        with ws_or_session.store.read() as session:
            return load_stages(session)
    return sorted(stages or DEFAULT_STAGES, key=lambda s: (s.order, s.name))


def ensure_stages(session: Session) -> bool:
    """Write the default stages when the table is empty; True when it wrote them."""
    if session.execute(select(func.count()).select_from(PipelineStage)).scalar_one():
        return False
    session.add_all(PipelineStage(name=s.name, order=s.order, probability=s.probability, is_closed=s.is_closed)
                    for s in DEFAULT_STAGES)
    session.flush()
    return True


def save_stages(ws: Workspace, stages: list[Stage]) -> None:
    """Replace the stage list (configuration)."""
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise ValueError("stage names must be unique")
    for s in stages:
        if not 0.0 <= s.probability <= 1.0:
            raise ValueError(f"stage {s.name!r}: probability {s.probability} is not between 0 and 1")
    with ws.store.write(touched=["pipeline_stages"]) as session:
        session.query(PipelineStage).delete()
        session.add_all(PipelineStage(name=s.name, order=s.order, probability=s.probability, is_closed=s.is_closed)
                        for s in stages)


def _new_stage(name: str, statuses: set[str], stages: list[Stage]) -> Stage:
    """A stage first seen in an import. Only-won opportunities → a closed won stage; only-lost →
    a closed lost stage; otherwise an open stage after the last open one, with that stage's
    probability (the team adjusts it later)."""
    open_stages = [s for s in stages if not s.is_closed]
    if statuses == {"won"}:
        return Stage(name, max(s.order for s in stages) + 10, 1.0, True)
    if statuses == {"lost"}:
        return Stage(name, max(s.order for s in stages) + 10, 0.0, True)
    last = open_stages[-1] if open_stages else Stage("", 0, 0.5, False)
    # stays below the closed stages (order 900+)
    return Stage(name, min(last.order + 10, 899), last.probability, False)


def add_imported_stages(session: Session) -> tuple[list[str], bool]:
    """Add every stage name the opportunities use that the list lacks.

    Returns (the new names, whether the default list was written first)."""
    wrote_defaults = ensure_stages(session)
    stages = load_stages(session)
    known = {s.name for s in stages}
    statuses: dict[str, set[str]] = {}
    for stage, status in session.execute(select(Opportunity.stage, Opportunity.status).distinct()):
        if stage is not None and stage.strip() and stage not in known:
            statuses.setdefault(stage, set()).add(status)
    added = []
    for name in sorted(statuses):
        new = _new_stage(name, statuses[name], stages)
        stages = sorted([*stages, new], key=lambda s: (s.order, s.name))
        session.add(PipelineStage(name=new.name, order=new.order, probability=new.probability,
                                  is_closed=new.is_closed))
        added.append(name)
    session.flush()
    return added, wrote_defaults


def record_stage_moves(session: Session, by: str | None = None, now: datetime | None = None) -> int:
    """A stage change for every opportunity whose stage differs from its last recorded one.

    The first record of an opportunity (from_stage None) is dated at its created_at, later
    ones at `now` (the import time). Returns the number of changes written."""
    now = now or datetime.now().replace(microsecond=0)
    latest = (select(OpportunityStageChange.opportunity_id, func.max(OpportunityStageChange.change_id).label("cid"))
              .group_by(OpportunityStageChange.opportunity_id).subquery())
    last_stage = dict(session.execute(
        select(OpportunityStageChange.opportunity_id, OpportunityStageChange.to_stage)
        .join(latest, OpportunityStageChange.change_id == latest.c.cid)).all())
    rows = []
    for oid, stage, created_at in session.execute(
            select(Opportunity.opportunity_id, Opportunity.stage, Opportunity.created_at)
            .where(Opportunity.stage.is_not(None))):
        before = last_stage.get(oid)
        if before == stage:
            continue
        at = (created_at or now) if before is None else now
        rows.append({"opportunity_id": oid, "from_stage": before, "to_stage": stage, "at": at, "by": by})
    if rows:
        session.execute(OpportunityStageChange.__table__.insert(), rows)
    return len(rows)


def after_opportunities_import(session: Session) -> list[str]:
    """Called by the interchange importer after opportunities were written (same transaction).

    Returns the entities it changed, for the importer's `touched` list."""
    touched = []
    added, wrote_defaults = add_imported_stages(session)
    if added or wrote_defaults:
        touched.append("pipeline_stages")
    if record_stage_moves(session, by="import"):
        touched.append("opportunity_stage_changes")
    if _link_won_leads(session):
        touched.append("leads")
    return touched


def _link_won_leads(session: Session) -> int:
    """A won deal's lead without an account takes the deal's account (leads/account_links.py)."""
    from b2bgrowth.leads.api import link_won_opportunities

    return link_won_opportunities(session)


def move_opportunity(ws: Workspace, opportunity_id: str, stage_name: str, by: str | None) -> dict:
    """Move an opportunity to a stage (the board's drag), recording the change.

    A closed stage closes the deal: probability 1 → won, otherwise lost; close_date becomes
    today unless set. Moving back to an open stage reopens it. Raises KeyError for an unknown
    opportunity and UnknownStage for a stage not in the list."""
    touched = ["opportunities", "opportunity_stage_changes"]
    with ws.store.write(touched=touched) as session:
        if ensure_stages(session):
            touched.append("pipeline_stages")
        stages = {s.name: s for s in load_stages(session)}
        if stage_name not in stages:
            raise UnknownStage(f"unknown stage {stage_name!r}; stages: {', '.join(stages)}")
        opp = session.get(Opportunity, opportunity_id)
        if opp is None:
            raise KeyError(f"no opportunity {opportunity_id!r}")
        stage = stages[stage_name]
        before = opp.stage
        now = datetime.now().replace(microsecond=0)
        opp.stage = stage_name
        if stage.is_closed:
            if opp.status == "open" or opp.close_date is None:
                opp.close_date = date.today()
            opp.status = "won" if stage.probability >= 1.0 else "lost"
        else:
            opp.status = "open"
        session.add(OpportunityStageChange(opportunity_id=opportunity_id, from_stage=before, to_stage=stage_name,
                                           at=now, by=by))
        if opp.status == "won" and _link_won_leads(session):
            touched.append("leads")
        return {"opportunity_id": opportunity_id, "from": before, "to": stage_name, "status": opp.status,
                "at": now.isoformat()}
