"""The experiments service (the experiment registry): create, update, read, list, start, stop, decide.

Lifecycle: draft → running (start: the population's assignment is frozen) → stopped → decided.
A decision needs a reason. Variants, unit, population and stratification cannot change once an
experiment has started (that would move units between arms mid-test).
Missing experiments raise KeyError (callers answer 404); refused changes raise ExperimentError (422).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from b2bgrowth.experiments.models import Experiment, ExperimentAssignment
from b2bgrowth.experiments.population import freeze_population
from b2bgrowth.experiments.schemas import (
    DECISIONS,
    ExperimentCreate,
    ExperimentError,
    ExperimentPublic,
    ExperimentUpdate,
    MetricSet,
    Population,
    RoiSpec,
    VariantSpec,
    check_planned_dates,
)

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

ENTITY = "experiments"
FROZEN_ONCE_STARTED = ("unit", "variants", "population", "stratify_by")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def to_public(row: Experiment, assigned_units: int = 0) -> ExperimentPublic:
    return ExperimentPublic(
        key=row.key,
        name=row.name,
        hypothesis=row.hypothesis,
        owner=row.owner,
        unit=row.unit or "account",
        variants=[VariantSpec.model_validate(v) for v in (row.variants or [])],
        metrics=MetricSet.model_validate(row.metrics or {}),
        population=Population.model_validate(row.population or {}),
        stratify_by=row.stratify_by,
        roi=RoiSpec.model_validate(row.roi or {}),
        status=row.status,
        created_at=row.created_at,
        created_by=row.created_by,
        started_at=row.started_at,
        stopped_at=row.stopped_at,
        decision=row.decision,
        decision_reason=row.decision_reason,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        planned_start=row.planned_start,
        planned_end=row.planned_end,
        assigned_units=assigned_units,
    )


def _assigned_count(session, key: str) -> int:
    return session.scalar(select(func.count()).select_from(ExperimentAssignment).where(ExperimentAssignment.experiment_key == key)) or 0


def _load(session, key: str) -> Experiment:
    row = session.get(Experiment, key)
    if row is None:
        raise KeyError(f"experiment {key!r} not found")
    return row


def create_experiment(ws: Workspace, data: ExperimentCreate, by: str) -> ExperimentPublic:
    with ws.store.write(touched=[ENTITY]) as session:
        if session.get(Experiment, data.key) is not None:
            raise ExperimentError(f"key: an experiment {data.key!r} already exists")
        row = Experiment(
            key=data.key,
            name=data.name,
            hypothesis=data.hypothesis,
            owner=data.owner or by,
            unit=data.unit,
            variants=[v.model_dump() for v in data.variants],
            metrics=data.metrics.model_dump(mode="json"),
            population=data.population.model_dump(mode="json"),
            stratify_by=data.stratify_by,
            roi=data.roi.model_dump(mode="json"),
            status="draft",
            created_at=_now(),
            created_by=by,
            planned_start=data.planned_start,
            planned_end=data.planned_end,
        )
        session.add(row)
        session.flush()
        return to_public(row)


def update_experiment(ws: Workspace, key: str, data: ExperimentUpdate) -> ExperimentPublic:
    changes = data.model_dump(mode="json", exclude_unset=True)
    for field in ("planned_start", "planned_end"):  # dates, not their JSON strings, for the Date columns
        if field in changes:
            changes[field] = getattr(data, field)
    with ws.store.write(touched=[ENTITY]) as session:
        row = _load(session, key)
        check_planned_dates(changes.get("planned_start", row.planned_start), changes.get("planned_end", row.planned_end))
        if row.status != "draft":
            frozen = [f for f in FROZEN_ONCE_STARTED if f in changes]
            if frozen:
                raise ExperimentError(
                    f"{', '.join(frozen)}: cannot change once the experiment has started (status {row.status})"
                )
        if row.status == "decided":
            raise ExperimentError("status: a decided experiment cannot be edited")
        for field, value in changes.items():
            setattr(row, field, value)
        session.flush()
        return to_public(row, _assigned_count(session, key))


def get_experiment(ws: Workspace, key: str) -> ExperimentPublic:
    with ws.store.read() as session:
        row = _load(session, key)
        return to_public(row, _assigned_count(session, key))


def list_experiments(ws: Workspace, status: str | None = None) -> list[ExperimentPublic]:
    with ws.store.read() as session:
        query = select(Experiment).order_by(Experiment.created_at.desc(), Experiment.key)
        if status:
            query = query.where(Experiment.status == status)
        counts = dict(
            session.execute(
                select(ExperimentAssignment.experiment_key, func.count()).group_by(ExperimentAssignment.experiment_key)
            ).all()
        )
        return [to_public(row, counts.get(row.key, 0)) for row in session.scalars(query)]


def start(ws: Workspace, key: str, at: datetime | None = None) -> ExperimentPublic:
    """draft → running. Account experiments freeze the stratified assignment of the population now."""
    with ws.store.write(touched=[ENTITY]) as session:
        row = _load(session, key)
        if row.status != "draft":
            raise ExperimentError(f"status: only a draft can start, this one is {row.status}")
        if len(row.variants or []) < 2:
            raise ExperimentError("variants: at least two are needed to start")
        row.status = "running"
        row.started_at = at or _now()
        if row.unit == "account":
            freeze_population(session, to_public(row), row.started_at)
        session.flush()
        return to_public(row, _assigned_count(session, key))


def stop(ws: Workspace, key: str, at: datetime | None = None) -> ExperimentPublic:
    with ws.store.write(touched=[ENTITY]) as session:
        row = _load(session, key)
        if row.status != "running":
            raise ExperimentError(f"status: only a running experiment can stop, this one is {row.status}")
        row.status = "stopped"
        row.stopped_at = at or _now()
        session.flush()
        return to_public(row, _assigned_count(session, key))


def decide(ws: Workspace, key: str, decision: str, reason: str, by: str | None = None) -> ExperimentPublic:
    """Record the decision, its reason and who took it (`by`: the signed-in user, the API token's
    user or the CLI's --by), so a scale-up can be traced back to a person and a reason."""
    if decision not in DECISIONS:
        raise ExperimentError(f"decision: one of {', '.join(DECISIONS)}, got {decision!r}")
    if not reason or not reason.strip():
        raise ExperimentError("reason: a decision needs its reason")
    with ws.store.write(touched=[ENTITY]) as session:
        row = _load(session, key)
        if row.status == "draft":
            raise ExperimentError("status: a draft has no results to decide on; start it first")
        if row.status == "decided":  # the record is the review trail: it is not overwritten
            raise ExperimentError(
                f"status: already decided ({row.decision}"
                f"{' by ' + row.decided_by if row.decided_by else ''}"
                f"{' on ' + row.decided_at.date().isoformat() if row.decided_at else ''}); a decision is final, "
                "run a follow-up experiment to revisit it"
            )
        if row.status == "running":
            row.stopped_at = _now()
        row.status = "decided"
        row.decision = decision
        row.decision_reason = reason.strip()
        row.decided_at = _now()
        row.decided_by = (by or "").strip()[:128] or None
        session.flush()
        return to_public(row, _assigned_count(session, key))
